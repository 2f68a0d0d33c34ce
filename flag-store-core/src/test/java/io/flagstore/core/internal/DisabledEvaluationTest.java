package io.flagstore.core.internal;

import static io.flagstore.core.internal.TestFlags.bool;
import static io.flagstore.core.internal.TestFlags.clause;
import static io.flagstore.core.internal.TestFlags.ctx;
import static io.flagstore.core.internal.TestFlags.rule;
import static io.flagstore.core.internal.TestFlags.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.EvaluationDetail;
import io.flagstore.core.Reason;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Operator;
import org.junit.jupiter.api.Test;

class DisabledEvaluationTest {

    @Test
    void disabledFlagServesOffVariant() {
        Flag flag = bool("kill").enabled(false).version(7).build();

        EvaluationDetail<Object> detail =
                snapshot(flag).evaluate("kill", ctx("u1")).detail();

        assertThat(detail).isEqualTo(new EvaluationDetail<>(false, "off", Reason.DISABLED, -1, null, null, 7));
    }

    @Test
    void disabledBeatsTargetsAndRules() {
        Flag flag = bool("kill")
                .enabled(false)
                .target("on", java.util.List.of("u1"))
                .rule(rule("r", "on", clause("country", Operator.IN, "DE")))
                .build();

        EvalResult result = snapshot(flag).evaluate("kill", ctx("u1", "country", "DE"));

        assertThat(result.detail().reason()).isEqualTo(Reason.DISABLED);
        assertThat(result.value()).isEqualTo(false);
    }

    @Test
    void disabledFlagServesOffVariantEvenWhenItsRulesAreBroken() {
        Flag flag = bool("kill")
                .enabled(false)
                .rule(rule("r", "on", clause("email", Operator.MATCHES, "([unclosed")))
                .build();

        assertThat(snapshot(flag).evaluate("kill", ctx("u1")).detail().reason()).isEqualTo(Reason.DISABLED);
    }

    @Test
    void enablingServesFallthrough() {
        Flag flag = bool("kill").enabled(true).build();

        EvaluationDetail<Object> detail =
                snapshot(flag).evaluate("kill", ctx("u1")).detail();

        assertThat(detail.reason()).isEqualTo(Reason.FALLTHROUGH);
        assertThat(detail.value()).isEqualTo(true);
        assertThat(detail.variant()).isEqualTo("on");
    }

    @Test
    void resultsAreSharedBetweenEvaluations() {
        CompiledSnapshot snapshot = snapshot(bool("kill").build());

        assertThat(snapshot.evaluate("kill", ctx("u1"))).isSameAs(snapshot.evaluate("kill", ctx("u2")));
    }
}
