package io.flagstore.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.Reason;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FlagStoreExtension.class)
@WithFlag(key = "new-checkout", value = "true")
@WithFlag(key = "theme", value = "dark")
class FlagStoreExtensionTest {
    private static final EvaluationContext ALICE = EvaluationContext.of("alice");

    FlagClient injected;
    InMemoryFlagSource source;
    private FlagClient fromBeforeEach;

    @BeforeEach
    void setUp(FlagClient client) {
        fromBeforeEach = client;
    }

    @Test
    void classLevelFlagsArePinned(FlagClient client) {
        assertThat(client.isEnabled("new-checkout", ALICE)).isTrue();
        assertThat(client.stringValue("theme", ALICE, "light")).isEqualTo("dark");
    }

    @Test
    @WithFlag(key = "new-checkout", value = "false")
    @WithFlag(key = "max-items", value = "12")
    @WithFlag(key = "config", value = "{\"steps\":3}")
    @WithFlag(key = "code", value = "42", type = "string")
    void methodLevelFlagsAddToAndWinOverTheClass(FlagClient client) {
        assertThat(client.boolDetail("new-checkout", ALICE, true).reason()).isEqualTo(Reason.DISABLED);
        assertThat(client.isEnabled("new-checkout", ALICE)).isFalse();
        assertThat(client.intValue("max-items", ALICE, 0)).isEqualTo(12);
        assertThat(client.jsonValue("config", ALICE, Map.class, Map.of()).get("steps"))
                .isEqualTo(3);
        assertThat(client.stringValue("code", ALICE, "")).isEqualTo("42");
        assertThat(client.stringValue("theme", ALICE, "light")).isEqualTo("dark");
    }

    @Test
    void fieldsParametersAndBeforeEachShareOneClient(FlagClient client, TestFlags flags) {
        assertThat(injected).isSameAs(client).isSameAs(fromBeforeEach).isSameAs(flags.client());
        assertThat(source).isSameAs(flags.source());
    }

    @Test
    void flagsCanChangeDuringATest(FlagClient client, TestFlags flags) {
        flags.set("new-checkout", false);
        assertThat(client.isEnabled("new-checkout", ALICE)).isFalse();
        source.setEnabled("new-checkout", true);
        assertThat(client.isEnabled("new-checkout", ALICE)).isTrue();
    }

    @Test
    void eachTestStartsFromItsAnnotations(FlagClient client) {
        // one fresh source per test: two pinned flags are versions 1 and 2, whatever ran before
        assertThat(client.snapshot().version()).isEqualTo(2);
        assertThat(client.isEnabled("new-checkout", ALICE)).isTrue();
    }

    @Nested
    @WithFlag(key = "theme", value = "light")
    class Inner {
        FlagClient innerField;

        @Test
        void nestedClassesAddToAndWinOverTheirOuterClass(FlagClient client) {
            assertThat(client.stringValue("theme", ALICE, "x")).isEqualTo("light");
            assertThat(client.isEnabled("new-checkout", ALICE)).isTrue();
            assertThat(innerField).isSameAs(client).isSameAs(injected);
        }
    }
}
