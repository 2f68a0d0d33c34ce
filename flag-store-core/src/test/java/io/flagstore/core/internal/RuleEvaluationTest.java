package io.flagstore.core.internal;

import static io.flagstore.core.internal.TestFlags.bool;
import static io.flagstore.core.internal.TestFlags.clause;
import static io.flagstore.core.internal.TestFlags.ctx;
import static io.flagstore.core.internal.TestFlags.negated;
import static io.flagstore.core.internal.TestFlags.rule;
import static io.flagstore.core.internal.TestFlags.snapshot;
import static io.flagstore.core.internal.TestFlags.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.EvaluationDetail;
import io.flagstore.core.Reason;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Serve;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleEvaluationTest {

    /** Whether a rule made of {@code clause} alone matches {@code ctx}. */
    static boolean matches(Clause clause, EvaluationContext ctx) {
        Flag flag = bool("f")
                .fallthrough(Serve.variant("off"))
                .rule(rule("r", "on", clause))
                .build();
        CompiledSnapshot snapshot = snapshot(flag);
        assertThat(snapshot.problems()).as("problems").isEmpty();
        EvaluationDetail<Object> detail = snapshot.evaluate("f", ctx).detail();
        assertThat(detail.reason()).isIn(Reason.RULE_MATCH, Reason.FALLTHROUGH);
        return detail.reason() == Reason.RULE_MATCH;
    }

    static Stream<Arguments> operatorCases() {
        Instant noon = Instant.parse("2026-01-01T12:00:00Z");
        return Stream.of(
                Arguments.of(clause("country", Operator.IN, "DE", "AT"), ctx("u", "country", "AT"), true),
                Arguments.of(clause("country", Operator.IN, "DE", "AT"), ctx("u", "country", "CH"), false),
                Arguments.of(clause("age", Operator.IN, 37, 40), ctx("u", "age", 37), true),
                Arguments.of(clause("score", Operator.IN, 0.5), ctx("u", "score", 0.5), true),
                Arguments.of(clause("zero", Operator.IN, 0.0), ctx("u", "zero", -0.0), true),
                Arguments.of(clause("beta", Operator.IN, true), ctx("u", "beta", true), true),
                Arguments.of(clause("beta", Operator.IN, true), ctx("u", "beta", false), false),
                Arguments.of(clause("age", Operator.IN, "37"), ctx("u", "age", 37), false),
                Arguments.of(clause("key", Operator.IN, "u1"), ctx("u1"), true),
                Arguments.of(clause("country", Operator.NOT_IN, "US"), ctx("u", "country", "DE"), true),
                Arguments.of(clause("country", Operator.NOT_IN, "US"), ctx("u", "country", "US"), false),
                Arguments.of(clause("email", Operator.STARTS_WITH, "admin@"), ctx("u", "email", "admin@x.io"), true),
                Arguments.of(clause("email", Operator.STARTS_WITH, "admin@"), ctx("u", "email", "me@x.io"), false),
                Arguments.of(
                        clause("email", Operator.ENDS_WITH, ".io", "@corp.com"), ctx("u", "email", "a@corp.com"), true),
                Arguments.of(clause("email", Operator.ENDS_WITH, ".io"), ctx("u", "email", "a@x.com"), false),
                Arguments.of(clause("ua", Operator.CONTAINS, "Firefox"), ctx("u", "ua", "Mozilla Firefox/1"), true),
                Arguments.of(clause("ua", Operator.CONTAINS, "Firefox"), ctx("u", "ua", "Chrome"), false),
                Arguments.of(
                        clause("email", Operator.MATCHES, "@corp\\.(com|de)$"), ctx("u", "email", "x@corp.de"), true),
                Arguments.of(clause("email", Operator.MATCHES, "corp"), ctx("u", "email", "x@corp.de"), true),
                Arguments.of(clause("email", Operator.MATCHES, "^corp"), ctx("u", "email", "x@corp.de"), false),
                Arguments.of(clause("app", Operator.SEMVER_EQ, "2.1.0"), ctx("u", "app", "2.1.0+build.7"), true),
                Arguments.of(clause("app", Operator.SEMVER_EQ, "2.1"), ctx("u", "app", "2.1.0"), true),
                Arguments.of(clause("app", Operator.SEMVER_EQ, "2.1.0"), ctx("u", "app", "2.1.1"), false),
                Arguments.of(clause("app", Operator.SEMVER_LT, "2.0.0"), ctx("u", "app", "2.0.0-rc.1"), true),
                Arguments.of(clause("app", Operator.SEMVER_LT, "2.0.0"), ctx("u", "app", "10.0.0"), false),
                Arguments.of(clause("app", Operator.SEMVER_GT, "1.9.9"), ctx("u", "app", "1.10.0"), true),
                Arguments.of(clause("app", Operator.SEMVER_GT, "1.9.9"), ctx("u", "app", "1.9.9"), false),
                Arguments.of(clause("age", Operator.LT, 18), ctx("u", "age", 17), true),
                Arguments.of(clause("age", Operator.LT, 18), ctx("u", "age", 18), false),
                Arguments.of(clause("age", Operator.LTE, 18), ctx("u", "age", 18), true),
                Arguments.of(clause("age", Operator.GT, 18), ctx("u", "age", 18.5), true),
                Arguments.of(clause("age", Operator.GT, 18), ctx("u", "age", 18), false),
                Arguments.of(clause("age", Operator.GTE, 18), ctx("u", "age", 18), true),
                Arguments.of(clause("age", Operator.GTE, 18), ctx("u", "age", 17.999), false),
                Arguments.of(
                        clause("signup", Operator.BEFORE, "2026-01-01T12:00:00Z"),
                        ctx("u", "signup", noon.minusMillis(1)),
                        true),
                Arguments.of(
                        clause("signup", Operator.BEFORE, "2026-01-01T12:00:00Z"), ctx("u", "signup", noon), false),
                Arguments.of(
                        clause("signup", Operator.AFTER, "2026-01-01T13:00:00+01:00"),
                        ctx("u", "signup", noon.plusSeconds(1)),
                        true),
                Arguments.of(clause("signup", Operator.AFTER, noon.toString()), ctx("u", "signup", noon), false),
                Arguments.of(
                        clause("signup", Operator.AFTER, noon.toString()),
                        ctx("u", "signup", "2026-01-02T00:00:00Z"),
                        true),
                Arguments.of(
                        clause("signup", Operator.BEFORE, "2026-01-01T12:00:00Z"),
                        ctx("u", "signup", noon.toEpochMilli() - 1),
                        true));
    }

    @ParameterizedTest(name = "[{index}] {0} on {1} -> {2}")
    @MethodSource("operatorCases")
    void operatorMatchesAsDocumented(Clause clause, EvaluationContext ctx, boolean expected) {
        assertThat(matches(clause, ctx)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0} on {1} -> {2}")
    @MethodSource("operatorCases")
    void negationInvertsAComparableOutcome(Clause clause, EvaluationContext ctx, boolean expected) {
        assertThat(matches(negated(clause), ctx)).isEqualTo(!expected);
    }

    static Stream<Clause> everyOperator() {
        return Stream.of(
                clause("a", Operator.IN, "x"),
                clause("a", Operator.NOT_IN, "x"),
                clause("a", Operator.STARTS_WITH, "x"),
                clause("a", Operator.ENDS_WITH, "x"),
                clause("a", Operator.CONTAINS, "x"),
                clause("a", Operator.MATCHES, "x"),
                clause("a", Operator.SEMVER_EQ, "1.0.0"),
                clause("a", Operator.SEMVER_LT, "1.0.0"),
                clause("a", Operator.SEMVER_GT, "1.0.0"),
                clause("a", Operator.LT, 1),
                clause("a", Operator.LTE, 1),
                clause("a", Operator.GT, 1),
                clause("a", Operator.GTE, 1),
                clause("a", Operator.BEFORE, "2026-01-01T00:00:00Z"),
                clause("a", Operator.AFTER, "2026-01-01T00:00:00Z"));
    }

    @ParameterizedTest
    @MethodSource("everyOperator")
    void missingAttributeNeverMatchesEvenNegated(Clause clause) {
        assertThat(matches(clause, ctx("u", "other", "x"))).isFalse();
        assertThat(matches(negated(clause), ctx("u", "other", "x"))).isFalse();
    }

    @Test
    void typeMismatchDoesNotMatchEvenNegated() {
        EvaluationContext numberAttribute = ctx("u", "a", 5);
        assertThat(matches(clause("a", Operator.STARTS_WITH, "5"), numberAttribute))
                .isFalse();
        assertThat(matches(negated(clause("a", Operator.STARTS_WITH, "5")), numberAttribute))
                .isFalse();
        assertThat(matches(negated(clause("a", Operator.MATCHES, "5")), numberAttribute))
                .isFalse();
        EvaluationContext stringAttribute = ctx("u", "a", "5");
        assertThat(matches(clause("a", Operator.LT, 10), stringAttribute)).isFalse();
        assertThat(matches(negated(clause("a", Operator.GT, 10)), stringAttribute))
                .isFalse();
        assertThat(matches(clause("a", Operator.BEFORE, "2030-01-01T00:00:00Z"), ctx("u", "a", "not a date")))
                .isFalse();
        assertThat(matches(clause("a", Operator.IN, "x"), ctx("u", "a", Instant.EPOCH)))
                .isFalse();
    }

    @Test
    void listAttributeMatchesWhenAnyElementMatches() {
        Clause staff = clause("groups", Operator.IN, "staff");
        assertThat(matches(staff, ctx("u", "groups", List.of("beta", "staff")))).isTrue();
        assertThat(matches(staff, ctx("u", "groups", List.of("beta")))).isFalse();
        assertThat(matches(clause("scores", Operator.GT, 10), ctx("u", "scores", List.of(1, 11))))
                .isTrue();
        assertThat(matches(clause("scores", Operator.GT, 10), ctx("u", "scores", List.of("12", 3))))
                .isFalse();
    }

    @Test
    void notInOnListMatchesWhenNoElementIsInTheValues() {
        Clause notBanned = clause("groups", Operator.NOT_IN, "banned");
        assertThat(matches(notBanned, ctx("u", "groups", List.of("beta", "staff"))))
                .isTrue();
        assertThat(matches(notBanned, ctx("u", "groups", List.of("beta", "banned"))))
                .isFalse();
        assertThat(matches(notBanned, ctx("u", "groups", List.of()))).isTrue();
    }

    @Test
    void emptyListMatchesNothingPositively() {
        assertThat(matches(clause("groups", Operator.IN, "staff"), ctx("u", "groups", List.of())))
                .isFalse();
    }

    @Test
    void allClausesOfARuleMustMatch() {
        Flag flag = bool("f")
                .fallthrough(Serve.variant("off"))
                .rule(rule("r", "on", clause("country", Operator.IN, "DE"), clause("plan", Operator.IN, "pro")))
                .build();
        CompiledSnapshot snapshot = snapshot(flag);

        assertThat(snapshot.evaluate("f", ctx("u", "country", "DE", "plan", "pro"))
                        .value())
                .isEqualTo(true);
        assertThat(snapshot.evaluate("f", ctx("u", "country", "DE", "plan", "free"))
                        .value())
                .isEqualTo(false);
    }

    @Test
    void firstMatchingRuleWinsAndIsReportedWithIndexAndId() {
        Flag flag = string("tier", "basic", "silver", "gold")
                .rule(rule("vip", "gold", clause("spend", Operator.GTE, 1000)))
                .rule(rule("regular", "silver", clause("spend", Operator.GTE, 100)))
                .build();
        CompiledSnapshot snapshot = snapshot(flag);

        EvaluationDetail<Object> detail =
                snapshot.evaluate("tier", ctx("u", "spend", 500)).detail();
        assertThat(detail)
                .isEqualTo(new EvaluationDetail<>("silver", "silver", Reason.RULE_MATCH, 1, "regular", null, 0));
        assertThat(snapshot.evaluate("tier", ctx("u", "spend", 5000)).detail().ruleId())
                .isEqualTo("vip");
        assertThat(snapshot.evaluate("tier", ctx("u", "spend", 5)).detail().reason())
                .isEqualTo(Reason.FALLTHROUGH);
    }

    @Test
    void ruleWithoutClausesMatchesEveryone() {
        Flag flag = bool("f")
                .fallthrough(Serve.variant("off"))
                .rule(rule("all", "on"))
                .build();

        assertThat(snapshot(flag).evaluate("f", ctx("u")).detail().reason()).isEqualTo(Reason.RULE_MATCH);
    }
}
