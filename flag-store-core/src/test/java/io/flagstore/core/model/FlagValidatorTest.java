package io.flagstore.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.InvalidFlagException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FlagValidatorTest {

    /** A broken copy of a valid flag, and the path its problem must name. */
    private record Mutation(Flag flag, String path) {}

    private static final List<BiFunction<Flag, SplittableRandom, Mutation>> MUTATIONS = List.of(
            (f, r) -> new Mutation(rebuild(f, f.key() + " X").build(), "key"),
            (f, r) -> new Mutation(f.toBuilder().offVariant("no-such-variant").build(), "offVariant"),
            (f, r) -> {
                String name = f.variants().keySet().iterator().next();
                return new Mutation(
                        f.toBuilder().variant(name, wrongValue(f.type())).build(),
                        FieldPath.member(FieldPath.field(FieldPath.ROOT, "variants"), name)
                                .toString());
            },
            (f, r) -> new Mutation(
                    f.toBuilder().variant("bad name", sampleValue(f)).build(), "variants[\"bad name\"]"),
            (f, r) -> new Mutation(
                    f.toBuilder().fallthrough(Serve.variant("ghost")).build(), "fallthrough.variant"),
            (f, r) -> new Mutation(
                    f.toBuilder().fallthrough(new Serve(null, null)).build(), "fallthrough"),
            (f, r) ->
                    new Mutation(f.toBuilder().fallthrough(rollout(f, 40, 50)).build(), "fallthrough.rollout.variants"),
            (f, r) -> new Mutation(
                    f.toBuilder().fallthrough(rollout(f, -10, 110)).build(), "fallthrough.rollout.variants[0].weight"),
            (f, r) -> new Mutation(
                    f.toBuilder().fallthrough(rollout(f, 33.3333, 66.6667)).build(),
                    "fallthrough.rollout.variants[0].weight"),
            (f, r) -> new Mutation(
                    f.toBuilder().fallthrough(rollout(f, 150, -50)).build(), "fallthrough.rollout.variants[0].weight"),
            (f, r) -> new Mutation(
                    f.toBuilder()
                            .fallthrough(Serve.rollout(new Rollout(List.of(), null)))
                            .build(),
                    "fallthrough.rollout.variants"),
            (f, r) -> new Mutation(
                    f.toBuilder()
                            .fallthrough(Serve.rollout(new Rollout(List.of(new WeightedVariant(first(f), 100)), "")))
                            .build(),
                    "fallthrough.rollout.bucketBy"),
            (f, r) -> {
                Rule rule =
                        new Rule("dup", null, clauses("a", Operator.IN, IntNode.valueOf(1)), Serve.variant(first(f)));
                return new Mutation(
                        f.toBuilder().rule(rule).rule(rule).build(),
                        "rules[" + (f.rules().size() + 1) + "].id");
            },
            (f, r) -> withRule(
                    f,
                    new Rule("bad id!", null, clauses("a", Operator.IN, IntNode.valueOf(1)), Serve.variant(first(f))),
                    "id"),
            (f, r) -> withRule(f, new Rule("no-clauses", null, List.of(), Serve.variant(first(f))), "clauses"),
            (f, r) -> withRule(
                    f,
                    new Rule("ghost", null, clauses("a", Operator.IN, IntNode.valueOf(1)), Serve.variant("ghost")),
                    "serve.variant"),
            (f, r) -> withRule(f, rule(new Clause("a", Operator.IN, List.of(), false), f), "clauses[0].values"),
            (f, r) -> withRule(
                    f,
                    rule(new Clause("", Operator.IN, List.of(IntNode.valueOf(1)), false), f),
                    "clauses[0].attribute"),
            (f, r) -> withRule(
                    f,
                    rule(clause("email", Operator.MATCHES, TextNode.valueOf("(unclosed")), f),
                    "clauses[0].values[0]"),
            (f, r) -> withRule(
                    f, rule(clause("v", Operator.SEMVER_GT, TextNode.valueOf("1.x")), f), "clauses[0].values[0]"),
            (f, r) -> withRule(f, rule(clause("n", Operator.LT, TextNode.valueOf("10")), f), "clauses[0].values[0]"),
            (f, r) -> withRule(
                    f, rule(clause("n", Operator.GTE, DoubleNode.valueOf(Double.NaN)), f), "clauses[0].values[0]"),
            (f, r) ->
                    withRule(f, rule(clause("s", Operator.STARTS_WITH, IntNode.valueOf(3)), f), "clauses[0].values[0]"),
            (f, r) -> withRule(
                    f, rule(clause("t", Operator.BEFORE, TextNode.valueOf("yesterday")), f), "clauses[0].values[0]"),
            (f, r) -> withRule(
                    f,
                    rule(clause("t", Operator.AFTER, LongNode.valueOf(1_700_000_000_000L)), f),
                    "clauses[0].values[0]"),
            (f, r) -> withRule(f, rule(clause("c", Operator.IN, NullNode.getInstance()), f), "clauses[0].values[0]"),
            (f, r) -> withRule(
                    f,
                    rule(clause("key", Operator.IN_SEGMENT, TextNode.valueOf("Not A Key")), f),
                    "clauses[0].values[0]"),
            (f, r) -> {
                Flag.Builder b = withTwoVariants(f);
                List<String> names = List.copyOf(b.build().variants().keySet());
                Flag two = b.clearTargets()
                        .target(names.get(0), List.of("dup-user"))
                        .target(names.get(1), List.of("x", "dup-user"))
                        .build();
                return new Mutation(two, "targets");
            },
            (f, r) -> new Mutation(
                    f.toBuilder().target("ghost", List.of("user-x")).build(), "targets.ghost"),
            (f, r) -> new Mutation(
                    f.toBuilder().clearTargets().target(first(f), List.of("")).build(), "[0]"),
            (f, r) -> new Mutation(
                    f.toBuilder()
                            .clearTargets()
                            .target(
                                    first(f),
                                    IntStream.range(0, 10_001)
                                            .mapToObj(i -> "u" + i)
                                            .toList())
                            .build(),
                    "targets"),
            (f, r) -> new Mutation(
                    f.toBuilder().prerequisite(new Prerequisite(f.key(), "on")).build(),
                    "prerequisites[" + f.prerequisites().size() + "].flagKey"),
            (f, r) -> new Mutation(
                    f.toBuilder()
                            .prerequisite(new Prerequisite("Bad Key", "on"))
                            .build(),
                    "prerequisites[" + f.prerequisites().size() + "].flagKey"),
            (f, r) -> new Mutation(
                    f.toBuilder()
                            .prerequisite(new Prerequisite("other-flag", ""))
                            .build(),
                    "prerequisites[" + f.prerequisites().size() + "].variant"),
            (f, r) -> {
                List<String> tags = new ArrayList<>(f.tags());
                tags.add("Not A Tag");
                return new Mutation(
                        f.toBuilder().tags(tags).build(), "tags[" + f.tags().size() + "]");
            },
            (f, r) -> new Mutation(
                    f.toBuilder()
                            .createdAt(Instant.parse("2026-06-01T00:00:00Z"))
                            .expiresAt(Instant.parse("2026-05-01T00:00:00Z"))
                            .build(),
                    "expiresAt"),
            (f, r) -> new Mutation(f.toBuilder().version(-1).build(), "version"),
            (f, r) -> new Mutation(f.toBuilder().description("d".repeat(5000)).build(), "description"),
            (f, r) -> new Mutation(f.toBuilder().clearVariants().build(), "variants"));

    static IntStream seeds() {
        return IntStream.range(0, 400);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void generatedFlagsAreValid(int seed) {
        Flag flag = new FlagGenerator(seed).flag();

        assertThat(FlagValidator.problems(flag)).as("seed %d: %s", seed, flag).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyMutationOfAValidFlagIsReportedAtTheMutatedField(int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Flag valid = new FlagGenerator(seed).flag();
        int which = random.nextInt(MUTATIONS.size());
        Mutation mutation = MUTATIONS.get(which).apply(valid, random);

        List<String> problems = FlagValidator.problems(mutation.flag());

        String context = "seed " + seed + ", mutation " + which + ", expected a problem at " + mutation.path() + " in "
                + problems + " for\n" + FlagJson.write(mutation.flag());
        assertThat(problems).as(context).anySatisfy(p -> assertThat(p).contains(mutation.path()));
        // and through JSON: reading what was written reports it too
        assertThatThrownBy(() -> FlagJson.read(FlagJson.write(mutation.flag())))
                .as(context)
                .isInstanceOfSatisfying(InvalidFlagException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).contains(mutation.path())));
    }

    @Test
    void everyMutationIsExercisedBySomeSeed() {
        assertThat(seeds().map(seed -> new SplittableRandom(seed).nextInt(MUTATIONS.size()))
                        .distinct()
                        .count())
                .isEqualTo(MUTATIONS.size());
    }

    @Test
    void weightsAreComparedInThousandths() {
        Flag thirds = Flag.booleanFlag("k")
                .variant("third", BooleanNode.TRUE)
                .fallthrough(Serve.rollout(new Rollout(
                        List.of(
                                new WeightedVariant("on", 33.333),
                                new WeightedVariant("off", 33.333),
                                new WeightedVariant("third", 33.334)),
                        null)))
                .build();
        Flag almost = thirds.toBuilder()
                .fallthrough(Serve.rollout(new Rollout(
                        List.of(
                                new WeightedVariant("on", 33.333),
                                new WeightedVariant("off", 33.333),
                                new WeightedVariant("third", 33.333)),
                        null)))
                .build();

        assertThat(FlagValidator.problems(thirds)).isEmpty();
        assertThat(FlagValidator.problems(almost))
                .containsExactly("fallthrough.rollout.variants: weights sum to 99.999, expected exactly 100");
    }

    @Test
    void badRegexReportsThePatternSyntaxDescription() {
        Flag flag = Flag.booleanFlag("k")
                .rule(rule(clause("email", Operator.MATCHES, TextNode.valueOf("a(b")), Flag.killSwitch("k")))
                .build();

        assertThat(FlagValidator.problems(flag))
                .containsExactly(
                        "rules[0].clauses[0].values[0]: invalid regular expression 'a(b': Unclosed group near index 3");
    }

    @Test
    void validateThrowsWithEveryProblem() {
        Flag flag = Flag.booleanFlag("Bad")
                .offVariant("x")
                .fallthrough(Serve.variant("y"))
                .build();

        assertThatThrownBy(() -> FlagValidator.validate(flag))
                .isInstanceOfSatisfying(InvalidFlagException.class, e -> assertThat(e.problems())
                        .hasSize(3));
    }

    @Test
    void segmentProblemsAreAllReported() {
        Segment segment = new Segment(
                "Staff",
                null,
                List.of("u1", "u1"),
                List.of("u1"),
                List.of(List.of(), List.of(clause("key", Operator.IN_SEGMENT, TextNode.valueOf("other")))),
                null,
                0);

        assertThat(FlagValidator.problems(segment))
                .containsExactly(
                        "key: 'Staff' is not a valid segment key (expected lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, at most 128 characters)",
                        "included[1]: 'u1' is listed twice",
                        "excluded[0]: 'u1' is also included",
                        "rules[0].clauses: a rule needs at least one clause",
                        "rules[1].clauses[0].op: inSegment cannot be used inside a segment");
    }

    @Test
    void setProblemsNameMissingFlagsVariantsAndSegments() {
        Flag a = Flag.booleanFlag("a")
                .prerequisite(new Prerequisite("missing", "on"))
                .build();
        Flag b = Flag.booleanFlag("b")
                .prerequisite(new Prerequisite("a", "maybe"))
                .rule(rule(clause("key", Operator.IN_SEGMENT, TextNode.valueOf("staff")), a))
                .build();

        assertThat(FlagValidator.problemsInSet(Map.of("a", a, "b", b), Map.of()))
                .containsExactly(
                        "flag a: prerequisites[0].flagKey: no flag 'missing' in the set",
                        "flag b: prerequisites[0].variant: flag 'a' has no variant 'maybe' (variants: on, off)",
                        "flag b: rules[0].clauses[0].values[0]: no segment 'staff' in the set");
    }

    @Test
    void itemsStoredUnderAnotherKeyAreReported() {
        Segment staff = new Segment("staff", null, List.of("u"), List.of(), List.of(), null, 0);

        assertThat(FlagValidator.problemsInSet(Map.of("a", Flag.killSwitch("b")), Map.of("team", staff)))
                .containsExactly(
                        "flag a: key: 'b' is stored under the key 'a'",
                        "segment team: key: 'staff' is stored under the key 'team'");
    }

    @Test
    void prerequisiteCyclesAreReportedOnceWithTheirPath() {
        Map<String, Flag> flags = new LinkedHashMap<>();
        flags.put(
                "c",
                Flag.booleanFlag("c").prerequisite(new Prerequisite("a", "on")).build());
        flags.put(
                "a",
                Flag.booleanFlag("a").prerequisite(new Prerequisite("b", "on")).build());
        flags.put(
                "b",
                Flag.booleanFlag("b").prerequisite(new Prerequisite("c", "on")).build());
        flags.put(
                "d",
                Flag.booleanFlag("d").prerequisite(new Prerequisite("a", "on")).build());
        flags.put(
                "e",
                Flag.booleanFlag("e").prerequisite(new Prerequisite("f", "on")).build());
        flags.put(
                "f",
                Flag.booleanFlag("f").prerequisite(new Prerequisite("e", "on")).build());

        assertThat(FlagValidator.problemsInSet(flags, Map.of()))
                .containsExactly(
                        "flag a: prerequisites: cycle a -> b -> c -> a", "flag e: prerequisites: cycle e -> f -> e");
    }

    @Test
    void aLongPrerequisiteChainIsCheckedWithoutOverflow() {
        Map<String, Flag> flags = new LinkedHashMap<>();
        for (int i = 0; i < 20_000; i++) {
            flags.put(
                    "f" + i,
                    Flag.booleanFlag("f" + i)
                            .prerequisite(new Prerequisite("f" + (i + 1), "on"))
                            .build());
        }
        flags.put("f20000", Flag.booleanFlag("f20000").build());

        assertThat(FlagValidator.problemsInSet(flags, Map.of())).isEmpty();
    }

    @Test
    void generatedSetsWithResolvableReferencesHaveNoSetProblems() {
        for (int seed = 0; seed < 50; seed++) {
            FlagGenerator gen = new FlagGenerator(seed);
            Segment segment = gen.segment();
            Map<String, Flag> flags = new LinkedHashMap<>();
            for (int i = 0; i < 10; i++) {
                // prerequisites only to earlier flags (no cycles), on a variant they have
                Flag f = gen.flag(List.of(), List.of(segment.key()));
                if (!flags.isEmpty()) {
                    Flag earlier = flags.values().iterator().next();
                    f = f.toBuilder()
                            .prerequisite(new Prerequisite(earlier.key(), first(earlier)))
                            .build();
                }
                flags.putIfAbsent(f.key(), f);
            }
            assertThat(FlagValidator.problemsInSet(flags, Map.of(segment.key(), segment)))
                    .as("seed %d", seed)
                    .isEmpty();
        }
    }

    private static Flag.Builder rebuild(Flag f, String newKey) {
        Flag.Builder b = Flag.builder(newKey, f.type());
        f.variants().forEach(b::variant);
        f.targets().forEach(b::target);
        return b.enabled(f.enabled())
                .offVariant(f.offVariant())
                .rules(f.rules())
                .fallthrough(f.fallthrough());
    }

    private static String first(Flag f) {
        return f.variants().keySet().iterator().next();
    }

    private static JsonNode sampleValue(Flag f) {
        return f.variants().values().iterator().next();
    }

    private static JsonNode wrongValue(FlagType type) {
        return switch (type) {
            case BOOLEAN, NUMBER -> TextNode.valueOf("yes");
            case STRING -> IntNode.valueOf(1);
            case JSON -> NullNode.getInstance();
        };
    }

    private static Flag.Builder withTwoVariants(Flag f) {
        return f.variants().size() >= 2 ? f.toBuilder() : f.toBuilder().variant("second", sampleValue(f));
    }

    /** A two-slice rollout over the flag's first variant and a second one. */
    private static Serve rollout(Flag f, double firstWeight, double secondWeight) {
        List<String> names = List.copyOf(withTwoVariants(f).build().variants().keySet());
        return Serve.rollout(new Rollout(
                List.of(
                        new WeightedVariant(names.get(0), firstWeight),
                        new WeightedVariant(names.get(1), secondWeight)),
                null));
    }

    /** Appends a broken rule; the problem is at {@code rules[n].field}. */
    private static Mutation withRule(Flag f, Rule rule, String field) {
        return new Mutation(
                f.toBuilder().rule(rule).build(), "rules[" + f.rules().size() + "]." + field);
    }

    private static Rule rule(Clause clause, Flag f) {
        return new Rule("mutated-rule", null, List.of(clause), Serve.variant(first(f)));
    }

    private static Clause clause(String attribute, Operator op, JsonNode value) {
        return new Clause(attribute, op, List.of(value), false);
    }

    private static List<Clause> clauses(String attribute, Operator op, JsonNode value) {
        return List.of(clause(attribute, op, value));
    }
}
