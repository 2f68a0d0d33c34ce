package io.flagstore.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagstore.core.ClientState;
import io.flagstore.core.ErrorKind;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestFlagsTest {
    private static final EvaluationContext ALICE = EvaluationContext.of("alice");

    record Limits(int max) {}

    @Test
    void pinsValuesOfEveryType() {
        try (TestFlags flags = TestFlags.create()
                .set("on", true)
                .set("off", false)
                .set("theme", "dark")
                .set("ratio", 0.5)
                .setJson("limits", new Limits(7))) {
            FlagClient client = flags.client();
            assertThat(client.health().state()).isEqualTo(ClientState.READY);
            assertThat(client.isEnabled("on", ALICE)).isTrue();
            assertThat(client.isEnabled("off", ALICE)).isFalse();
            assertThat(client.stringValue("theme", ALICE, "")).isEqualTo("dark");
            assertThat(client.numberValue("ratio", ALICE, 0)).isEqualTo(0.5);
            assertThat(client.jsonValue("limits", ALICE, Limits.class, null)).isEqualTo(new Limits(7));
        }
    }

    @Test
    void changesAfterTheClientWasBuiltAreSeenAtOnce() {
        try (TestFlags flags = TestFlags.create().set("on", true)) {
            FlagClient client = flags.client();
            flags.set("on", false).remove("missing");
            assertThat(client.isEnabled("on", ALICE)).isFalse();
            flags.remove("on");
            assertThat(client.boolDetail("on", ALICE, false).errorKind()).isEqualTo(ErrorKind.FLAG_NOT_FOUND);
            flags.set(Flag.killSwitch("full"));
            assertThat(client.isEnabled("full", ALICE)).isTrue();
            assertThat(flags.client()).isSameAs(client);
        }
    }

    @Test
    void textValuesInferTheirType() {
        Map<String, FlagType> expected = Map.of(
                "true", FlagType.BOOLEAN,
                "false", FlagType.BOOLEAN,
                "12", FlagType.NUMBER,
                "-0.5", FlagType.NUMBER,
                "{\"a\":1}", FlagType.JSON,
                "[1]", FlagType.JSON,
                "dark", FlagType.STRING);
        expected.forEach((text, type) ->
                assertThat(TestFlags.parse("f", text, "").type()).as(text).isEqualTo(type));
        assertThat(TestFlags.parse("f", "12", "string").type()).isEqualTo(FlagType.STRING);
        assertThat(TestFlags.parse("f", "TRUE", "string").type()).isEqualTo(FlagType.STRING);
    }

    @Test
    void aBooleanInTheWrongCaseIsRefusedNotReadAsAString() {
        for (String text : List.of("TRUE", "False", " true ", "FALSE")) {
            assertThatThrownBy(() -> TestFlags.create().set("my-flag", text, ""))
                    .as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("my-flag")
                    .hasMessageContaining("lower case");
        }
    }

    @Test
    void textThatDoesNotFitItsTypeIsRefusedWithTheKeyAndValue() {
        for (List<String> bad : List.of(
                List.of("yes", "boolean"), List.of("ten", "number"), List.of("{", "json"), List.of("x", "date"))) {
            assertThatThrownBy(() -> TestFlags.create().set("my-flag", bad.get(0), bad.get(1)))
                    .as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("my-flag")
                    .hasMessageContaining(bad.get(0));
        }
    }
}
