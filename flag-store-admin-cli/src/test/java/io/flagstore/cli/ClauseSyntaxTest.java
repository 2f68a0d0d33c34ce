package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class ClauseSyntaxTest {
    private static final long BASE_SEED = 0xC1A05EL;
    private static final String ALPHABET = "abcXYZ09 ,\"\\-_.@é";

    @Test
    void readsTheDocumentedForms() {
        assertThat(ClauseSyntax.parse("country in US,DE"))
                .isEqualTo(new Clause("country", Operator.IN, List.of(text("US"), text("DE")), false));
        assertThat(ClauseSyntax.parse("email not endsWith @test.com"))
                .isEqualTo(new Clause("email", Operator.ENDS_WITH, List.of(text("@test.com")), true));
        assertThat(ClauseSyntax.parse("age gte 18").values()).containsExactly(IntNode.valueOf(18));
        assertThat(ClauseSyntax.parse("inSegment beta-testers, staff"))
                .isEqualTo(new Clause("key", Operator.IN_SEGMENT, List.of(text("beta-testers"), text("staff")), false));
        assertThat(ClauseSyntax.parse("not inSegment staff").negate()).isTrue();
        assertThat(ClauseSyntax.parse("plan in \"pro, annual\",true,7").values())
                .containsExactly(text("pro, annual"), BooleanNode.TRUE, IntNode.valueOf(7));
        assertThat(ClauseSyntax.parse("code in \"7\"").values()).containsExactly(text("7"));
    }

    @Test
    void badClausesAreRefusedNamingTheProblem() {
        for (List<String> bad : List.of(
                List.of("", "missing an attribute"),
                List.of("country", "missing an operator"),
                List.of("country is US", "'is' is not an operator"),
                List.of("country in", "missing the values"),
                List.of("country in US,", "a value is missing after ','"),
                List.of("country in US DE", "separated by ','"),
                List.of("age gt ten", "gt compares numbers: 'ten'"),
                List.of("name in \"open", "not closed"))) {
            assertThatThrownBy(() -> ClauseSyntax.parse(bad.get(0)))
                    .as(bad.get(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("clause '" + bad.get(0) + "'")
                    .hasMessageContaining(bad.get(1));
        }
    }

    @RepeatedTest(200)
    void parsesWhatItPrints(RepetitionInfo repetition) {
        long seed = BASE_SEED + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        Clause clause = randomClause(random);
        String printed = ClauseSyntax.print(clause);
        assertThat(ClauseSyntax.parse(printed)).as("seed %d: %s", seed, printed).isEqualTo(clause);
    }

    private static Clause randomClause(Random random) {
        Operator op = Operator.values()[random.nextInt(Operator.values().length)];
        List<JsonNode> values = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            boolean numeric = op == Operator.LT || op == Operator.LTE || op == Operator.GT || op == Operator.GTE;
            if (numeric || ((op == Operator.IN || op == Operator.NOT_IN) && random.nextInt(3) == 0)) {
                values.add(
                        random.nextBoolean()
                                ? IntNode.valueOf(random.nextInt(2000) - 1000)
                                : Json.read((random.nextInt(200) - 100) + "." + (1 + random.nextInt(9))));
            } else if ((op == Operator.IN || op == Operator.NOT_IN) && random.nextInt(5) == 0) {
                values.add(BooleanNode.valueOf(random.nextBoolean()));
            } else {
                values.add(text(randomText(random)));
            }
        }
        String attribute = op == Operator.IN_SEGMENT ? "key" : "attr" + random.nextInt(10);
        return new Clause(attribute, op, values, random.nextBoolean());
    }

    private static String randomText(Random random) {
        if (random.nextInt(4) == 0) {
            return String.valueOf(random.nextInt(100)); // text that looks like a number
        }
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(8);
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    private static JsonNode text(String s) {
        return TextNode.valueOf(s);
    }
}
