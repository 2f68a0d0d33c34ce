package io.flagstore.core.internal;

import static io.flagstore.core.internal.TestFlags.bool;
import static io.flagstore.core.internal.TestFlags.clause;
import static io.flagstore.core.internal.TestFlags.ctx;
import static io.flagstore.core.internal.TestFlags.prerequisite;
import static io.flagstore.core.internal.TestFlags.rule;
import static io.flagstore.core.internal.TestFlags.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.ErrorKind;
import io.flagstore.core.EvaluationDetail;
import io.flagstore.core.Reason;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Serve;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrerequisiteEvaluationTest {
    private final Flag checkout = bool("new-checkout")
            .fallthrough(Serve.variant("off"))
            .rule(rule("beta", "on", clause("beta", Operator.IN, true)))
            .build();
    private final Flag upsell =
            bool("upsell").prerequisite(prerequisite("new-checkout", "on")).build();

    @Test
    void metPrerequisiteLetsTheFlagEvaluateNormally() {
        EvaluationDetail<Object> detail = snapshot(checkout, upsell)
                .evaluate("upsell", ctx("u", "beta", true))
                .detail();

        assertThat(detail.reason()).isEqualTo(Reason.FALLTHROUGH);
        assertThat(detail.value()).isEqualTo(true);
    }

    @Test
    void unmetPrerequisiteServesTheOffVariant() {
        EvaluationDetail<Object> detail = snapshot(checkout, upsell)
                .evaluate("upsell", ctx("u", "beta", false))
                .detail();

        assertThat(detail.reason()).isEqualTo(Reason.PREREQUISITE_FAILED);
        assertThat(detail.variant()).isEqualTo("off");
        assertThat(detail.value()).isEqualTo(false);
    }

    @Test
    void missingPrerequisiteFlagIsNotMet() {
        assertThat(snapshot(upsell).evaluate("upsell", ctx("u")).detail().reason())
                .isEqualTo(Reason.PREREQUISITE_FAILED);
    }

    @Test
    void disabledPrerequisiteIsNotMetEvenWhenItsOffVariantIsTheRequiredOne() {
        Flag gate = bool("gate").enabled(false).build();
        Flag dependent =
                bool("dependent").prerequisite(prerequisite("gate", "off")).build();

        assertThat(snapshot(gate, dependent)
                        .evaluate("dependent", ctx("u"))
                        .detail()
                        .reason())
                .isEqualTo(Reason.PREREQUISITE_FAILED);
    }

    @Test
    void malformedPrerequisiteIsNotMet() {
        Flag broken = bool("gate").fallthrough(Serve.variant("nope")).build();
        Flag dependent =
                bool("dependent").prerequisite(prerequisite("gate", "on")).build();

        CompiledSnapshot snapshot = snapshot(broken, dependent);

        assertThat(snapshot.evaluate("dependent", ctx("u")).detail().reason()).isEqualTo(Reason.PREREQUISITE_FAILED);
    }

    @Test
    void prerequisitesAreCheckedBeforeTargets() {
        Flag targeted = bool("t")
                .prerequisite(prerequisite("new-checkout", "on"))
                .target("on", List.of("u"))
                .build();

        assertThat(snapshot(checkout, targeted).evaluate("t", ctx("u")).detail().reason())
                .isEqualTo(Reason.PREREQUISITE_FAILED);
    }

    @Test
    void cycleEvaluatesToMalformedInsteadOfOverflowingTheStack() {
        Flag a = bool("a").prerequisite(prerequisite("b", "on")).build();
        Flag b = bool("b").prerequisite(prerequisite("a", "on")).build();
        Flag self = bool("self").prerequisite(prerequisite("self", "on")).build();
        Flag dependsOnCycle = bool("c").prerequisite(prerequisite("a", "on")).build();
        CompiledSnapshot snapshot = snapshot(List.of(a, b, self, dependsOnCycle), List.of());

        for (String key : List.of("a", "b", "self", "c")) {
            EvaluationDetail<Object> detail = snapshot.evaluate(key, ctx("u")).detail();
            assertThat(detail.reason()).as(key).isEqualTo(Reason.ERROR);
            assertThat(detail.errorKind()).as(key).isEqualTo(ErrorKind.MALFORMED_FLAG);
        }
    }

    @Test
    void chainWithinTheDepthLimitIsFollowed() {
        List<Flag> chain = new ArrayList<>();
        int length = CompiledFlag.MAX_PREREQUISITE_DEPTH;
        for (int i = 0; i < length; i++) {
            Flag.Builder b = bool("f" + i);
            if (i + 1 < length) {
                b.prerequisite(prerequisite("f" + (i + 1), "on"));
            }
            chain.add(b.build());
        }

        assertThat(snapshot(chain, List.of()).evaluate("f0", ctx("u")).detail().reason())
                .isEqualTo(Reason.FALLTHROUGH);
    }
}
