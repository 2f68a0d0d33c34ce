package io.flagstore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.ErrorKind;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.EvaluationDetail;
import io.flagstore.core.Reason;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagType;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Prerequisite;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Rule;
import io.flagstore.core.model.Segment;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.core.spi.FlagData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Random (often nonsensical) flags and contexts: evaluation returns a coherent result, never throws. */
class EvaluationNeverThrowsTest {
    private static final String[] ATTRIBUTES = {"key", "country", "age", "email", "groups", "signup", "beta"};
    private static final String[] VARIANTS = {"on", "off", "a", "b", "missing"};

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomFlagsAndContextsNeverThrow(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Flag> flags = new HashMap<>();
        Map<String, Segment> segments = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            segments.put(
                    "s" + i,
                    new Segment("s" + i, null, keys(random), keys(random), List.of(clauses(random, false)), null, 0));
        }
        for (int i = 0; i < 40; i++) {
            flags.put("f" + i, randomFlag(random, "f" + i));
        }
        CompiledSnapshot snapshot = CompiledSnapshot.of(new FlagData(1, flags, segments));
        for (int i = 0; i < 1000; i++) {
            EvaluationContext ctx = randomContext(random);
            String key = "f" + random.nextInt(45);
            EvalResult result = snapshot.evaluate(key, ctx);
            EvaluationDetail<Object> detail = result.detail();
            assertThat(result).as("seed %d", seed).isNotNull();
            assertThat(result.flagKey()).as("seed %d", seed).isEqualTo(key);
            assertThat(detail.reason() == Reason.ERROR)
                    .as("seed %d: %s -> %s", seed, key, detail)
                    .isEqualTo(detail.errorKind() != null)
                    .isEqualTo(detail.variant() == null);
            assertThat(detail.errorKind())
                    .as("seed %d: %s -> %s (GENERAL means something threw)", seed, key, detail)
                    .isNotEqualTo(ErrorKind.GENERAL);
            assertThat(detail.reason() == Reason.RULE_MATCH)
                    .as("seed %d: %s -> %s", seed, key, detail)
                    .isEqualTo(detail.ruleIndex() >= 0);
        }
    }

    private static Flag randomFlag(SplittableRandom random, String key) {
        FlagType type = FlagType.values()[random.nextInt(FlagType.values().length)];
        Flag.Builder b = Flag.builder(key, type).enabled(random.nextInt(5) > 0);
        for (String v : List.of("on", "off", "a", "b")) {
            b.variant(v, random.nextInt(10) == 0 ? TextNode.valueOf("x") : valueOf(type, random));
        }
        b.offVariant(variant(random)).fallthrough(serve(random));
        if (random.nextBoolean()) {
            b.target(variant(random), keys(random));
        }
        for (int r = random.nextInt(4); r > 0; r--) {
            b.rule(new Rule("r" + r, null, clauses(random, true), serve(random)));
        }
        if (random.nextInt(3) == 0) {
            b.prerequisite(new Prerequisite("f" + random.nextInt(45), variant(random)));
        }
        if (random.nextBoolean()) {
            b.salt(random.nextBoolean() ? "" : BucketingTest.randomString(random));
        }
        return b.build();
    }

    private static JsonNode valueOf(FlagType type, SplittableRandom random) {
        return switch (type) {
            case BOOLEAN -> BooleanNode.valueOf(random.nextBoolean());
            case STRING -> TextNode.valueOf("v" + random.nextInt(5));
            case NUMBER -> DoubleNode.valueOf(random.nextDouble());
            case JSON -> JsonNodeFactory.instance.objectNode().put("n", random.nextInt());
        };
    }

    private static String variant(SplittableRandom random) {
        return VARIANTS[random.nextInt(VARIANTS.length)];
    }

    private static Serve serve(SplittableRandom random) {
        if (random.nextBoolean()) {
            return Serve.variant(variant(random));
        }
        List<WeightedVariant> slices = new ArrayList<>();
        int left = 100;
        for (int i = 0; i < 3 && left > 0; i++) {
            int w = i == 2 || random.nextInt(4) == 0 ? left : random.nextInt(left + 1);
            slices.add(new WeightedVariant(variant(random), w));
            left -= w;
        }
        String bucketBy = random.nextBoolean() ? null : ATTRIBUTES[random.nextInt(ATTRIBUTES.length)];
        return Serve.rollout(new Rollout(slices, bucketBy));
    }

    private static List<Clause> clauses(SplittableRandom random, boolean segmentsAllowed) {
        List<Clause> clauses = new ArrayList<>();
        for (int c = random.nextInt(4); c > 0; c--) {
            Operator op = Operator.values()[random.nextInt(Operator.values().length)];
            if (op == Operator.IN_SEGMENT && !segmentsAllowed) {
                op = Operator.IN;
            }
            List<JsonNode> values = new ArrayList<>();
            for (int v = random.nextInt(3); v >= 0; v--) {
                values.add(op == Operator.IN_SEGMENT ? TextNode.valueOf("s" + random.nextInt(7)) : clauseValue(random));
            }
            clauses.add(new Clause(ATTRIBUTES[random.nextInt(ATTRIBUTES.length)], op, values, random.nextBoolean()));
        }
        return clauses;
    }

    private static JsonNode clauseValue(SplittableRandom random) {
        return switch (random.nextInt(7)) {
            case 0 -> TextNode.valueOf("DE");
            case 1 -> DoubleNode.valueOf(random.nextInt(100));
            case 2 -> BooleanNode.valueOf(random.nextBoolean());
            case 3 -> TextNode.valueOf("2026-01-01T00:00:00Z");
            case 4 -> TextNode.valueOf("1.2.3");
            case 5 -> NullNode.getInstance();
            default -> TextNode.valueOf(BucketingTest.randomString(random));
        };
    }

    private static List<String> keys(SplittableRandom random) {
        List<String> keys = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            keys.add("u" + random.nextInt(10));
        }
        return keys;
    }

    private static EvaluationContext randomContext(SplittableRandom random) {
        EvaluationContext.Builder b = EvaluationContext.builder(
                random.nextInt(4) == 0 ? BucketingTest.randomString(random) : "u" + random.nextInt(10));
        for (String name : ATTRIBUTES) {
            if (name.equals("key") || random.nextInt(3) == 0) {
                continue;
            }
            switch (random.nextInt(7)) {
                case 0 -> b.set(name, "DE");
                case 1 -> b.set(name, random.nextInt(100));
                case 2 -> b.set(name, random.nextBoolean());
                case 3 -> b.set(name, Instant.ofEpochSecond(random.nextLong(4_000_000_000L)));
                case 4 -> b.set(name, List.of("DE", 5, true));
                case 5 -> b.set(name, random.nextDouble() * 1e20);
                default -> b.set(name, BucketingTest.randomString(random));
            }
        }
        return b.build();
    }
}
