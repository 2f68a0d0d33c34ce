package io.flagstore.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Rule;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The evaluation workload (b) of {@link EvaluationBenchmark}, shared with the scale benchmarks: a rule
 * of three clauses serving a 50/50 rollout, and contexts with varying keys and attributes (about
 * 54 % reach the rollout, the rest fall through after one to three clauses).
 */
final class Workload {
    private Workload() {}

    /** {@code country in [4]}, {@code plan in [2]}, {@code email endsWith [2]}: a 50/50 rollout of on/off. */
    static Rule eligibleRollout() {
        return new Rule(
                "eligible",
                null,
                List.of(
                        new Clause("country", Operator.IN, texts("US", "CA", "DE", "GB"), false),
                        new Clause("plan", Operator.IN, texts("pro", "enterprise"), false),
                        new Clause("email", Operator.ENDS_WITH, texts("@example.com", "@example.org"), false)),
                Serve.rollout(new Rollout(
                        List.of(new WeightedVariant(Flag.ON, 50), new WeightedVariant(Flag.OFF, 50)), null)));
    }

    /** {@code count} pre-built contexts, the same every run. */
    static EvaluationContext[] contexts(int count) {
        String[] countries = {"US", "CA", "DE", "GB", "FR"};
        String[] plans = {"pro", "enterprise", "pro", "free"};
        SplittableRandom random = new SplittableRandom(42);
        EvaluationContext[] contexts = new EvaluationContext[count];
        for (int i = 0; i < count; i++) {
            String key = "user-" + random.nextInt(1_000_000);
            contexts[i] = EvaluationContext.builder(key)
                    .set("country", countries[random.nextInt(countries.length)])
                    .set("plan", plans[random.nextInt(plans.length)])
                    .set("email", key + (random.nextInt(10) == 0 ? "@gmail.com" : "@example.com"))
                    .set("age", 18 + random.nextInt(60))
                    .build();
        }
        return contexts;
    }

    static List<JsonNode> texts(String... values) {
        return Arrays.stream(values).map(v -> (JsonNode) TextNode.valueOf(v)).toList();
    }
}
