package io.flagstore.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.InvalidFlagException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FlagJsonTest {

    static IntStream seeds() {
        return IntStream.range(0, 300);
    }

    @Test
    void keyAloneIsACompleteDisabledBooleanFlag() {
        Flag flag = FlagJson.read("{\"key\":\"payments-api\"}");

        assertThat(flag.type()).isEqualTo(FlagType.BOOLEAN);
        assertThat(flag.enabled()).isFalse();
        assertThat(flag.variants())
                .containsExactly(Map.entry("on", BooleanNode.TRUE), Map.entry("off", BooleanNode.FALSE));
        assertThat(flag.offVariant()).isEqualTo("off");
        assertThat(flag.fallthrough()).isEqualTo(Serve.variant("on"));
        assertThat(flag).isEqualTo(Flag.booleanFlag("payments-api").build());
    }

    @Test
    void killSwitchReadsBackEnabled() {
        assertThat(FlagJson.read("{\"key\":\"payments-api\",\"enabled\":true}"))
                .isEqualTo(Flag.killSwitch("payments-api"));
    }

    @Test
    void shorthandsReadAsTheirLongForms() {
        Flag flag = FlagJson.read(
                """
                {"key": "checkout", "type": "string", "enabled": true,
                 "variants": {"old": "v1", "new": "v2"}, "offVariant": "old",
                 "targets": {"new": ["user-1", "user-2"]},
                 "rules": [{"id": "beta", "clauses": [{"attribute": "plan", "op": "in", "values": ["beta"]}],
                            "serve": "new"}],
                 "fallthrough": {"rollout": {"variants": [{"variant": "new", "weight": 25},
                                                          {"variant": "old", "weight": 75}],
                                             "bucketBy": "orgId"}},
                 "expiresAt": "2027-01-31"}
                """);

        assertThat(flag.variants().keySet()).containsExactly("old", "new");
        assertThat(flag.targets()).containsEntry("new", List.of("user-1", "user-2"));
        assertThat(flag.rules().get(0).serve()).isEqualTo(Serve.variant("new"));
        assertThat(flag.fallthrough())
                .isEqualTo(Serve.rollout(
                        new Rollout(List.of(new WeightedVariant("new", 25), new WeightedVariant("old", 75)), "orgId")));
        assertThat(flag.expiresAt()).isEqualTo(Instant.parse("2027-01-31T00:00:00Z"));
    }

    @Test
    void missingRuleIdDefaultsToItsPosition() {
        Flag flag = FlagJson.read(
                "{\"key\":\"k\",\"rules\":[{\"clauses\":[{\"attribute\":\"a\",\"op\":\"in\",\"values\":[1]}],\"serve\":\"on\"}]}");

        assertThat(flag.rules().get(0).id()).isEqualTo("rule-1");
    }

    @Test
    void inSegmentClauseNeedsNoAttribute() {
        Flag flag = FlagJson.read(
                "{\"key\":\"k\",\"rules\":[{\"id\":\"r\",\"clauses\":[{\"op\":\"inSegment\",\"values\":[\"staff\"]}],\"serve\":\"on\"}]}");

        assertThat(flag.rules().get(0).clauses().get(0).attribute()).isEqualTo("key");
    }

    @Test
    void unknownPropertiesAndNullsAreIgnored() {
        Flag flag = FlagJson.read("{\"key\":\"k\",\"futureField\":{\"x\":1},\"description\":null,\"enabled\":true}");

        assertThat(flag).isEqualTo(Flag.killSwitch("k"));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void generatedFlagsSurviveWriteAndRead(int seed) {
        Flag flag = new FlagGenerator(seed).flag();
        String json = FlagJson.write(flag);

        assertThat(FlagJson.read(json)).as("seed %d:%n%s", seed, json).isEqualTo(flag);
        assertThat(FlagJson.fromTree(FlagJson.toTree(flag))).as("seed %d", seed).isEqualTo(flag);
        assertThat(FlagJson.write(FlagJson.read(json))).as("seed %d", seed).isEqualTo(json);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void generatedSegmentsSurviveWriteAndRead(int seed) {
        Segment segment = new FlagGenerator(seed).segment();
        String json = FlagJson.writeSegment(segment);

        assertThat(FlagJson.readSegment(json)).as("seed %d:%n%s", seed, json).isEqualTo(segment);
        assertThat(FlagJson.segmentFromTree(FlagJson.segmentToTree(segment)))
                .as("seed %d", seed)
                .isEqualTo(segment);
    }

    static IntStream documentSeeds() {
        return IntStream.range(0, 50);
    }

    @ParameterizedTest
    @MethodSource("documentSeeds")
    void generatedDocumentsSurviveWriteAndRead(int seed) {
        FlagGenerator gen = new FlagGenerator(seed);
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Segment s = gen.segment();
            if (segments.stream().noneMatch(x -> x.key().equals(s.key()))) {
                segments.add(s);
            }
        }
        List<String> segmentKeys = segments.stream().map(Segment::key).toList();
        List<Flag> flags = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Flag f = gen.flag(flags.stream().map(Flag::key).toList(), segmentKeys);
            if (flags.stream().noneMatch(x -> x.key().equals(f.key()))) {
                flags.add(f);
            }
        }
        FlagDocument document = new FlagDocument(flags, segments);
        String json = FlagJson.writeDocument(document);

        assertThat(FlagJson.readDocument(json)).as("seed %d", seed).isEqualTo(document);
    }

    @Test
    void outputIsCanonical() {
        Flag flag = Flag.builder("checkout", FlagType.STRING)
                .enabled(true)
                .variant("old", TextNode.valueOf("v1"))
                .variant("new", TextNode.valueOf("v2"))
                .offVariant("old")
                .rule(new Rule(
                        "beta",
                        null,
                        List.of(new Clause("plan", Operator.IN, List.of(TextNode.valueOf("beta")), false)),
                        Serve.variant("new")))
                .fallthrough(Serve.rollout(
                        new Rollout(List.of(new WeightedVariant("new", 12.5), new WeightedVariant("old", 87.5)), null)))
                .tags(List.of("payments"))
                .createdAt(Instant.parse("2026-01-02T03:04:05Z"))
                .build();

        assertThat(FlagJson.write(flag))
                .isEqualTo(
                        """
                        {
                          "key": "checkout",
                          "type": "string",
                          "enabled": true,
                          "variants": {
                            "old": "v1",
                            "new": "v2"
                          },
                          "offVariant": "old",
                          "rules": [
                            {
                              "id": "beta",
                              "clauses": [
                                {
                                  "attribute": "plan",
                                  "op": "in",
                                  "values": [
                                    "beta"
                                  ]
                                }
                              ],
                              "serve": {
                                "variant": "new"
                              }
                            }
                          ],
                          "fallthrough": {
                            "rollout": {
                              "variants": [
                                {
                                  "variant": "new",
                                  "weight": 12.5
                                },
                                {
                                  "variant": "old",
                                  "weight": 87.5
                                }
                              ]
                            }
                          },
                          "tags": [
                            "payments"
                          ],
                          "createdAt": "2026-01-02T03:04:05Z"
                        }""");
        assertThat(FlagJson.toTree(flag).toString())
                .startsWith("{\"key\":\"checkout\",\"type\":\"string\",\"enabled\":true,\"variants\":{\"old\":\"v1\"");
    }

    @Test
    void equalFlagsBuiltDifferentlyWriteTheSameBytes() {
        Flag viaJson =
                FlagJson.read("{\"targets\":{\"on\":[\"u\"]},\"enabled\":true,\"fallthrough\":\"on\",\"key\":\"k\"}");
        Flag viaBuilder =
                Flag.booleanFlag("k").enabled(true).target("on", List.of("u")).build();

        assertThat(FlagJson.write(viaJson)).isEqualTo(FlagJson.write(viaBuilder));
    }

    @Test
    void toTreeIsACopyTheCallerMayChange() {
        Flag flag = Flag.builder("k", FlagType.JSON)
                .variant("a", FlagJson.toTree(Flag.killSwitch("x")))
                .offVariant("a")
                .fallthrough(Serve.variant("a"))
                .build();
        String before = FlagJson.write(flag);

        ((ObjectNode) FlagJson.toTree(flag).get("variants").get("a")).put("key", "changed");

        assertThat(FlagJson.write(flag)).isEqualTo(before);
    }

    @Test
    void readingCollectsEveryProblem() {
        InvalidFlagException e = catchThrowableOfType(
                InvalidFlagException.class,
                () -> FlagJson.read(
                        """
                        {"key": "Bad Key", "variants": {"on": true, "off": false},
                         "rules": [{"id": "r", "clauses": [{"attribute": "a", "op": "in", "values": [1]}], "serve": "on"},
                                   {"id": "s", "clauses": [{"attribute": "email", "op": "startWith", "values": ["x"]}], "serve": "on"}],
                         "fallthrough": {"rollout": {"variants": [{"variant": "on", "weight": 30}, {"variant": "off", "weight": 60}]}}}
                        """));

        assertThat(e.problems())
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("key: 'Bad Key' is not a valid flag key"))
                .anySatisfy(
                        p -> assertThat(p)
                                .startsWith(
                                        "rules[1].clauses[0].op: unknown operator 'startWith' (expected one of in, notIn, startsWith"))
                .anySatisfy(p -> assertThat(p)
                        .isEqualTo("fallthrough.rollout.variants: weights sum to 90, expected exactly 100"));
    }

    @Test
    void aProblemTheReaderReportsIsNotReportedAgainByTheValidator() {
        InvalidFlagException e = catchThrowableOfType(
                InvalidFlagException.class,
                () -> FlagJson.read(
                        "{\"key\":\"k\",\"type\":\"strng\",\"variants\":{\"a\":1},\"offVariant\":\"a\",\"fallthrough\":\"a\"}"));

        assertThat(e.problems())
                .containsExactly("type: unknown type 'strng' (expected one of boolean, string, number, json)");
    }

    @Test
    void problemsFromReadingAndValidationComeInDocumentOrder() {
        InvalidFlagException e = catchThrowableOfType(
                InvalidFlagException.class,
                () -> FlagJson.read(
                        """
                        {"key": "geo", "targets": {"on": ["u", "u"]},
                         "rules": [{"id": "eu", "clauses": [
                           {"op": "in", "values": ["NL"]},
                           {"attribute": "country", "op": "in", "values": []},
                           {"attribute": "country", "op": "nope", "values": ["NL"]}
                         ], "serve": {"variant": "on", "rollout": {"variants": []}}}],
                         "fallthrough": "maybe", "tags": ["A"], "version": -1}
                        """));

        assertThat(e.problems())
                .extracting(p -> p.substring(0, p.indexOf(':')))
                .containsExactly(
                        "targets.on[1]",
                        "rules[0].clauses[0].attribute",
                        "rules[0].clauses[1].values",
                        "rules[0].clauses[2].op",
                        "rules[0].serve",
                        "fallthrough.variant",
                        "tags[0]",
                        "version");
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        assertThatThrownBy(() -> FlagJson.read("{\n  \"key\": \"k\",\n  \"enabled\": tru\n}"))
                .isInstanceOf(InvalidFlagException.class)
                .hasMessageContaining("flag: malformed JSON at line 3, column");
    }

    @Test
    void duplicatePropertiesAreRefused() {
        assertThatThrownBy(() -> FlagJson.read("{\"key\":\"k\",\"variants\":{\"on\":true,\"on\":false}}"))
                .isInstanceOf(InvalidFlagException.class)
                .hasMessageContaining("Duplicate field 'on'");
    }

    @Test
    void oversizeTextIsRefusedBeforeParsing() {
        // not even JSON: a parse would report a syntax error, the size check reports the limit
        String huge = "x".repeat((1 << 20) + 1);

        assertThatThrownBy(() -> FlagJson.read(huge))
                .isInstanceOf(InvalidFlagException.class)
                .hasMessage("invalid definition: flag: the JSON is over the limit of 1048576 bytes (1 MiB)");
    }

    @Test
    void multiByteCharactersCountAsBytesTowardsTheLimit() {
        String json = "{\"key\":\"k\",\"description\":\"" + "\u00e9".repeat(600_000) + "\"}";

        assertThatThrownBy(() -> FlagJson.read(json)).hasMessageContaining("over the limit of 1048576 bytes");
    }

    @Test
    void deepNestingIsRefusedWithoutRecursingThroughIt() {
        String deep = "{\"key\":\"k\",\"type\":\"json\",\"variants\":{\"a\":" + "[".repeat(100_000)
                + "]".repeat(100_000) + "}}";

        assertThatThrownBy(() -> FlagJson.read(deep))
                .isInstanceOf(InvalidFlagException.class)
                .hasMessageContaining("input refused")
                .hasMessageContaining("nesting depth");
    }

    @Test
    void tooManyTargetsAreRefused() {
        List<String> keys = IntStream.range(0, 10_001).mapToObj(i -> "u" + i).toList();
        Flag flag = Flag.booleanFlag("k").target("on", keys).build();

        assertThatThrownBy(() -> FlagJson.read(FlagJson.write(flag)))
                .isInstanceOf(InvalidFlagException.class)
                .hasMessageContaining("targets.on: 10001 keys, over the limit of 10000");
    }

    @Test
    void documentProblemsNameTheItemAndDuplicateKeys() {
        InvalidFlagException e = catchThrowableOfType(
                InvalidFlagException.class,
                () -> FlagJson.readDocument(
                        "{\"flags\":[{\"key\":\"a\"},{\"key\":\"b\",\"offVariant\":\"nope\"},{\"key\":\"a\"}],"
                                + "\"segments\":[{\"key\":\"s\",\"included\":[\"\"]}]}"));

        assertThat(e.problems())
                .containsExactly(
                        "flags[1].offVariant: unknown variant 'nope' (variants: on, off)",
                        "flags[2].key: duplicate key 'a' (also flags[0])",
                        "segments[0].included[0]: empty context key");
    }

    @Test
    void documentIsKeptSortedByKey() {
        FlagDocument document = FlagJson.readDocument("{\"flags\":[{\"key\":\"b\"},{\"key\":\"a\"}]}");

        assertThat(document.flags()).extracting(Flag::key).containsExactly("a", "b");
        assertThat(document.segments()).isEmpty();
    }

    @Test
    void numberVariantsKeepTheirJsonNumbers() {
        Flag flag = FlagJson.read(
                "{\"key\":\"k\",\"type\":\"number\",\"variants\":{\"low\":1,\"high\":2.5},\"offVariant\":\"low\",\"fallthrough\":\"high\"}");

        assertThat(flag.variants().get("low")).isEqualTo(IntNode.valueOf(1));
        assertThat(flag.variants().get("high").doubleValue()).isEqualTo(2.5);
    }
}
