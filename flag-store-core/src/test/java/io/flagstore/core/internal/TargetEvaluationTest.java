package io.flagstore.core.internal;

import static io.flagstore.core.internal.TestFlags.clause;
import static io.flagstore.core.internal.TestFlags.ctx;
import static io.flagstore.core.internal.TestFlags.rule;
import static io.flagstore.core.internal.TestFlags.snapshot;
import static io.flagstore.core.internal.TestFlags.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.EvaluationDetail;
import io.flagstore.core.Reason;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Operator;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetEvaluationTest {
    private final Flag flag = string("theme", "light", "dark", "blue")
            .target("dark", List.of("alice", "bob"))
            .target("blue", List.of("carol", "alice"))
            .rule(rule("everyone-in-de", "blue", clause("country", Operator.IN, "DE")))
            .build();
    private final CompiledSnapshot snapshot = snapshot(flag);

    @Test
    void targetedKeyGetsItsVariant() {
        EvaluationDetail<Object> detail = snapshot.evaluate("theme", ctx("bob")).detail();

        assertThat(detail.value()).isEqualTo("dark");
        assertThat(detail.reason()).isEqualTo(Reason.TARGET_MATCH);
        assertThat(detail.ruleIndex()).isEqualTo(-1);
        assertThat(detail.ruleId()).isNull();
    }

    @Test
    void targetsAreCheckedBeforeRules() {
        assertThat(snapshot.evaluate("theme", ctx("bob", "country", "DE"))
                        .detail()
                        .value())
                .isEqualTo("dark");
    }

    @Test
    void keyListedUnderTwoVariantsGetsTheFirstDeclared() {
        assertThat(snapshot.evaluate("theme", ctx("alice")).detail().variant()).isEqualTo("dark");
    }

    @Test
    void untargetedKeyFallsThrough() {
        EvaluationDetail<Object> detail =
                snapshot.evaluate("theme", ctx("dave")).detail();

        assertThat(detail.reason()).isEqualTo(Reason.FALLTHROUGH);
        assertThat(detail.value()).isEqualTo("light");
    }

    @Test
    void targetsMatchTheTargetingKeyNotAnAttribute() {
        assertThat(snapshot.evaluate("theme", ctx("dave", "name", "bob"))
                        .detail()
                        .reason())
                .isEqualTo(Reason.FALLTHROUGH);
    }
}
