package io.flagstore.core;

import static io.flagstore.core.TestFlagDefinitions.bool;
import static io.flagstore.core.TestFlagDefinitions.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LocalOverridesTest {
    private static final EvaluationContext ALICE = EvaluationContext.of("alice");

    private static FlagClient client(LocalOverrides overrides) {
        return FlagClient.builder()
                .source(InMemoryFlagSource.of(bool("new-checkout", false), string("theme", "dark")))
                .overrides(overrides)
                .build();
    }

    @Test
    void enabledEnvironmentVariablesOverrideBooleans() {
        try (FlagClient client = client(LocalOverrides.fromEnvironment(Map.of("NEW_CHECKOUT_ENABLED", "true")))) {
            EvaluationDetail<Boolean> detail = client.boolDetail("new-checkout", ALICE, false);
            assertThat(detail.value()).isTrue();
            assertThat(detail.reason()).isEqualTo(Reason.OVERRIDE);
            assertThat(detail.variant()).isEqualTo(LocalOverrides.VARIANT);
            assertThat(client.stringValue("theme", ALICE, "x")).isEqualTo("dark");
        }
    }

    @Test
    void enabledVariablesWithOtherValuesAreIgnored() {
        LocalOverrides overrides = LocalOverrides.fromEnvironment(Map.of("NEW_CHECKOUT_ENABLED", "yes"));
        assertThat(overrides.isEmpty()).isTrue();
    }

    @Test
    void prefixedVariablesSetAnyTypeAndWinOverEnabled() {
        LocalOverrides overrides = LocalOverrides.fromEnvironment(Map.of(
                "FLAGSTORE_FLAG_THEME", "light",
                "FLAGSTORE_FLAG_NEW_CHECKOUT", "false",
                "NEW_CHECKOUT_ENABLED", "true",
                "FLAGSTORE_FLAG_MAX_ITEMS", "12",
                "FLAGSTORE_FLAG_CHECKOUT_CONFIG", "{\"steps\":3}"));
        try (FlagClient client = client(overrides)) {
            assertThat(client.stringValue("theme", ALICE, "x")).isEqualTo("light");
            assertThat(client.boolValue("new-checkout", ALICE, true)).isFalse();
            assertThat(client.intValue("max-items", ALICE, 0)).isEqualTo(12);
            assertThat(client.numberValue("max.items", ALICE, 0)).isEqualTo(12.0);
            assertThat(client.jsonValue("checkout-config", ALICE, Map.class, Map.of())
                            .get("steps"))
                    .isEqualTo(3);
        }
    }

    @Test
    void systemPropertiesUseTheExactKey() {
        Properties properties = new Properties();
        properties.setProperty("flagstore.flag.new-checkout", "true");
        properties.setProperty("unrelated", "true");
        try (FlagClient client = client(LocalOverrides.fromSystemProperties(properties))) {
            assertThat(client.isEnabled("new-checkout", ALICE)).isTrue();
            assertThat(client.boolDetail("new_checkout", ALICE, false).errorKind())
                    .isEqualTo(ErrorKind.FLAG_NOT_FOUND);
        }
    }

    @Test
    void explicitValuesOfEveryType() {
        LocalOverrides overrides = LocalOverrides.of(Map.of(
                "new-checkout",
                true,
                "theme",
                "blue",
                "ratio",
                0.5,
                "tree",
                JsonNodeFactory.instance.arrayNode().add(1).add(2)));
        try (FlagClient client = client(overrides)) {
            assertThat(client.isEnabled("new-checkout", ALICE)).isTrue();
            assertThat(client.stringValue("theme", ALICE, "x")).isEqualTo("blue");
            assertThat(client.numberValue("ratio", ALICE, 0)).isEqualTo(0.5);
            assertThat(client.jsonValue("tree", ALICE, int[].class, null)).containsExactly(1, 2);
        }
    }

    @Test
    void anOverrideOfTheWrongTypeIsATypeMismatch() {
        try (FlagClient client = client(LocalOverrides.of(Map.of("theme", "blue")))) {
            EvaluationDetail<Boolean> detail = client.boolDetail("theme", ALICE, true);
            assertThat(detail.value()).isTrue();
            assertThat(detail.errorKind()).isEqualTo(ErrorKind.TYPE_MISMATCH);
            assertThat(client.intValue("theme", ALICE, 4)).isEqualTo(4);
        }
    }

    @Test
    void orElseKeepsTheFirstForSharedKeys() {
        LocalOverrides merged = LocalOverrides.of(Map.of("theme", "first"))
                .orElse(LocalOverrides.of(Map.of("theme", "second", "new-checkout", true)));
        try (FlagClient client = client(merged)) {
            assertThat(client.stringValue("theme", ALICE, "x")).isEqualTo("first");
            assertThat(client.isEnabled("new-checkout", ALICE)).isTrue();
        }
    }

    @Test
    void withoutOverridesTheSourceIsServed() {
        try (FlagClient client = client(LocalOverrides.of(Map.of()))) {
            assertThat(client.boolDetail("new-checkout", ALICE, true).reason()).isEqualTo(Reason.DISABLED);
        }
    }
}
