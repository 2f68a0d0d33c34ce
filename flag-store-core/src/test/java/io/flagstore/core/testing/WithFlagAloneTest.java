package io.flagstore.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import org.junit.jupiter.api.Test;

/** {@code @WithFlag} with no {@code @ExtendWith}: the annotation brings its extension, so the pin holds. */
@WithFlag(key = "new-checkout", value = "true")
class WithFlagAloneTest {
    private static final EvaluationContext ALICE = EvaluationContext.of("alice");

    FlagClient injected;

    @Test
    void aClassPinIsServedWithoutRegisteringTheExtension(FlagClient client) {
        assertThat(client.isEnabled("new-checkout", ALICE)).isTrue();
        assertThat(injected).isSameAs(client);
    }

    @Test
    @WithFlag(key = "theme", value = "dark")
    @WithFlag(key = "new-checkout", value = "false")
    void repeatedMethodPinsAreServedToo(FlagClient client) {
        assertThat(client.isEnabled("new-checkout", ALICE)).isFalse();
        assertThat(client.stringValue("theme", ALICE, "light")).isEqualTo("dark");
    }
}
