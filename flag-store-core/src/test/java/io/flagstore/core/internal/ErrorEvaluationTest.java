package io.flagstore.core.internal;

import static io.flagstore.core.internal.TestFlags.bool;
import static io.flagstore.core.internal.TestFlags.clause;
import static io.flagstore.core.internal.TestFlags.ctx;
import static io.flagstore.core.internal.TestFlags.rollout;
import static io.flagstore.core.internal.TestFlags.rule;
import static io.flagstore.core.internal.TestFlags.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.ErrorKind;
import io.flagstore.core.EvaluationDetail;
import io.flagstore.core.Reason;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagType;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Serve;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorEvaluationTest {

    @Test
    void missingFlagIsNotFound() {
        EvalResult result = snapshot(bool("a").build()).evaluate("nope", ctx("u"));

        assertThat(result.flagKey()).isEqualTo("nope");
        assertThat(result.type()).isNull();
        assertThat(result.detail())
                .isEqualTo(new EvaluationDetail<>(null, null, Reason.ERROR, -1, null, ErrorKind.FLAG_NOT_FOUND, 0));
        assertThat(CompiledSnapshot.empty().evaluate(null, ctx("u")).detail().errorKind())
                .isEqualTo(ErrorKind.FLAG_NOT_FOUND);
    }

    static Stream<Arguments> brokenFlags() {
        return Stream.of(
                Arguments.of(bool("x").fallthrough(Serve.variant("maybe")).build(), "unknown variant 'maybe'"),
                Arguments.of(bool("x").offVariant("gone").build(), "unknown variant 'gone'"),
                Arguments.of(bool("x").target("nope", List.of("u")).build(), "unknown variant 'nope'"),
                Arguments.of(
                        bool("x")
                                .rule(rule("r", "on", clause("a", Operator.MATCHES, "[oops")))
                                .build(),
                        "invalid regex"),
                Arguments.of(
                        bool("x")
                                .rule(rule("r", "on", clause("a", Operator.LT, "ten")))
                                .build(),
                        "not a number"),
                Arguments.of(
                        bool("x")
                                .rule(rule("r", "on", clause("a", Operator.SEMVER_LT, "v1")))
                                .build(),
                        "invalid semantic version 'v1'"),
                Arguments.of(
                        bool("x")
                                .rule(rule("r", "on", clause("a", Operator.BEFORE, "yesterday")))
                                .build(),
                        "ISO-8601"),
                Arguments.of(
                        // epoch milliseconds are refused as clause values, as the validator refuses them
                        bool("x")
                                .rule(rule("r", "on", clause("a", Operator.AFTER, 1_700_000_000_000L)))
                                .build(),
                        "is not an ISO-8601 instant"),
                Arguments.of(
                        bool("x")
                                .fallthrough(rollout(null, "on", 50, "off", 40))
                                .build(),
                        "sum to 90.0%"),
                Arguments.of(
                        bool("x")
                                .fallthrough(rollout(null, "on", 50.0001, "off", 49.9999))
                                .build(),
                        "three decimals"),
                Arguments.of(
                        bool("x")
                                .fallthrough(rollout(null, "on", 150, "off", -50))
                                .build(),
                        "weight -50"),
                Arguments.of(
                        bool("x")
                                .fallthrough(rollout(null, "on", 50, "what", 50))
                                .build(),
                        "unknown variant 'what'"),
                Arguments.of(bool("x").fallthrough(new Serve(null, null)).build(), "exactly one"),
                Arguments.of(
                        Flag.builder("x", FlagType.BOOLEAN)
                                .enabled(true)
                                .variant("on", TextNode.valueOf("yes"))
                                .offVariant("on")
                                .fallthrough(Serve.variant("on"))
                                .build(),
                        "not a boolean"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("brokenFlags")
    void brokenFlagIsMalformedAndNamesTheProblemWithoutAffectingOthers(Flag broken, String problem) {
        CompiledSnapshot snapshot = snapshot(broken, bool("fine").build());

        EvaluationDetail<Object> detail = snapshot.evaluate("x", ctx("u")).detail();

        assertThat(detail.reason()).isEqualTo(Reason.ERROR);
        assertThat(detail.errorKind()).isEqualTo(ErrorKind.MALFORMED_FLAG);
        assertThat(detail.value()).isNull();
        assertThat(detail.variant()).isNull();
        assertThat(snapshot.problems()).containsOnlyKeys("x");
        assertThat(snapshot.problems().get("x")).contains(problem);
        assertThat(snapshot.evaluate("fine", ctx("u")).detail().reason()).isEqualTo(Reason.FALLTHROUGH);
    }

    @Test
    void nullContextGivesGeneralErrorForContextDependentFlags() {
        Flag flag =
                bool("f").rule(rule("r", "on", clause("a", Operator.IN, "x"))).build();

        assertThat(snapshot(flag).evaluate("f", null).detail().errorKind()).isEqualTo(ErrorKind.GENERAL);
    }
}
