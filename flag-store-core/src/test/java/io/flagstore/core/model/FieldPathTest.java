package io.flagstore.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class FieldPathTest {
    private static final String[] NAMES = {"rules", "clauses", "on", "a.b", "bad name", "quote\"d", "back\\slash", "x-1"
    };

    @Test
    void pathsReadAsProblemsNameThem() {
        FieldPath rules = FieldPath.field(FieldPath.ROOT, "rules");
        assertThat(FieldPath.ROOT).hasToString("");
        assertThat(FieldPath.field(FieldPath.index(rules, 2), "clauses")).hasToString("rules[2].clauses");
        FieldPath variants = FieldPath.field(FieldPath.ROOT, "variants");
        assertThat(FieldPath.member(variants, "on")).hasToString("variants.on");
        assertThat(FieldPath.member(variants, "a \"b\"")).hasToString("variants[\"a \\\"b\\\"\"]");
        assertThat(FieldPath.index(FieldPath.ROOT, 0)).hasToString("[0]");
        assertThat(FieldPath.member(FieldPath.ROOT, "a.b")).hasToString("[\"a.b\"]");
    }

    /** Random paths read exactly as the text the steps spell: a dot before every name but the first. */
    @RepeatedTest(20)
    void randomPathsReadAsTheirSteps(RepetitionInfo repetition) {
        long seed = 0x9A7_0000L + repetition.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200; i++) {
            FieldPath path = FieldPath.ROOT;
            StringBuilder expected = new StringBuilder();
            for (int step = random.nextInt(6); step > 0; step--) {
                String name = NAMES[random.nextInt(NAMES.length)];
                switch (random.nextInt(3)) {
                    case 0 -> {
                        int index = random.nextInt(100);
                        path = FieldPath.index(path, index);
                        expected.append('[').append(index).append(']');
                    }
                    case 1 -> {
                        path = FieldPath.field(path, name);
                        expected.append(expected.length() == 0 ? "" : ".").append(name);
                    }
                    default -> {
                        path = FieldPath.member(path, name);
                        boolean simple =
                                name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
                        expected.append(
                                simple
                                        ? (expected.length() == 0 ? "" : ".") + name
                                        : "[\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]");
                    }
                }
            }
            assertThat(path).as("seed %d", seed).hasToString(expected.toString());
        }
    }
}
