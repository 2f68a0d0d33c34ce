package io.flagstore.core.internal;

import static io.flagstore.core.internal.TestFlags.bool;
import static io.flagstore.core.internal.TestFlags.clause;
import static io.flagstore.core.internal.TestFlags.ctx;
import static io.flagstore.core.internal.TestFlags.inSegment;
import static io.flagstore.core.internal.TestFlags.negated;
import static io.flagstore.core.internal.TestFlags.rule;
import static io.flagstore.core.internal.TestFlags.segment;
import static io.flagstore.core.internal.TestFlags.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.ErrorKind;
import io.flagstore.core.EvaluationDetail;
import io.flagstore.core.Reason;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Segment;
import io.flagstore.core.model.Serve;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentEvaluationTest {
    private final Segment staff = segment(
            "internal-staff",
            List.of("contractor-1"),
            List.of("intern-9"),
            List.of(List.of(clause("email", Operator.ENDS_WITH, "@corp.com"))));
    private final Flag earlyAccess = bool("early-access")
            .fallthrough(Serve.variant("off"))
            .rule(rule("staff", "on", inSegment("internal-staff")))
            .build();
    private final CompiledSnapshot snapshot = snapshot(List.of(earlyAccess), List.of(staff));

    private boolean inStaff(String key, String email) {
        return snapshot.evaluate("early-access", email == null ? ctx(key) : ctx(key, "email", email))
                        .detail()
                        .reason()
                == Reason.RULE_MATCH;
    }

    @Test
    void includedKeyIsInTheSegment() {
        assertThat(inStaff("contractor-1", "c@gmail.com")).isTrue();
    }

    @Test
    void matchingRuleIsInTheSegment() {
        assertThat(inStaff("u", "ann@corp.com")).isTrue();
        assertThat(inStaff("u", "ann@gmail.com")).isFalse();
        assertThat(inStaff("u", null)).isFalse();
    }

    @Test
    void excludedKeyIsOutEvenWhenARuleMatches() {
        assertThat(inStaff("intern-9", "intern@corp.com")).isFalse();
    }

    @Test
    void includedBeatsExcluded() {
        Segment both = segment("s", List.of("k"), List.of("k"), List.of());
        Flag flag = bool("f")
                .fallthrough(Serve.variant("off"))
                .rule(rule("r", "on", inSegment("s")))
                .build();

        assertThat(snapshot(List.of(flag), List.of(both))
                        .evaluate("f", ctx("k"))
                        .value())
                .isEqualTo(true);
    }

    @Test
    void negatedInSegmentMatchesOutsiders() {
        Flag flag = bool("f")
                .fallthrough(Serve.variant("off"))
                .rule(rule("r", "on", negated(inSegment("internal-staff"))))
                .build();
        CompiledSnapshot s = snapshot(List.of(flag), List.of(staff));

        assertThat(s.evaluate("f", ctx("outsider")).value()).isEqualTo(true);
        assertThat(s.evaluate("f", ctx("contractor-1")).value()).isEqualTo(false);
    }

    @Test
    void unknownSegmentContainsNobody() {
        EvaluationDetail<Object> detail = snapshot(earlyAccess)
                .evaluate("early-access", ctx("contractor-1"))
                .detail();

        assertThat(detail.reason()).isEqualTo(Reason.FALLTHROUGH);
    }

    @Test
    void flagReferencingABrokenSegmentIsMalformedAndOthersAreNot() {
        Segment broken = segment(
                "internal-staff", List.of(), List.of(), List.of(List.of(clause("email", Operator.MATCHES, "(("))));
        Flag other = bool("other").build();
        CompiledSnapshot s = snapshot(List.of(earlyAccess, other), List.of(broken));

        assertThat(s.evaluate("early-access", ctx("u")).detail().errorKind()).isEqualTo(ErrorKind.MALFORMED_FLAG);
        assertThat(s.evaluate("other", ctx("u")).detail().reason()).isEqualTo(Reason.FALLTHROUGH);
        assertThat(s.problems()).containsKeys("early-access", "segment:internal-staff");
    }

    @Test
    void segmentsCannotNest() {
        Segment nested = segment("outer", List.of(), List.of(), List.of(List.of(inSegment("internal-staff"))));
        Flag flag = bool("f").rule(rule("r", "on", inSegment("outer"))).build();

        CompiledSnapshot s = snapshot(List.of(flag), List.of(staff, nested));

        assertThat(s.problems().get("segment:outer")).contains("segments cannot nest");
        assertThat(s.evaluate("f", ctx("u")).detail().errorKind()).isEqualTo(ErrorKind.MALFORMED_FLAG);
    }
}
