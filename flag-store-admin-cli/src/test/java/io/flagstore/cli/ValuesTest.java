package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagstore.core.model.FlagType;
import io.flagstore.core.model.WeightedVariant;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ValuesTest {
    @Test
    void parsesVariantValuesByType() {
        assertThat(Values.variantValue(FlagType.BOOLEAN, "on", "TRUE").booleanValue())
                .isTrue();
        assertThat(Values.variantValue(FlagType.NUMBER, "n", "2.5").doubleValue())
                .isEqualTo(2.5);
        assertThat(Values.variantValue(FlagType.JSON, "j", "{\"a\":[1]}")
                        .get("a")
                        .get(0)
                        .intValue())
                .isEqualTo(1);
        assertThat(Values.variantValue(FlagType.STRING, "s", "plain text").textValue())
                .isEqualTo("plain text");
        assertThat(Values.variantValue(FlagType.STRING, "s", "\"quoted\"").textValue())
                .isEqualTo("quoted");
    }

    @Test
    void rejectsValuesOfTheWrongTypeNamingThem() {
        assertThatThrownBy(() -> Values.variantValue(FlagType.NUMBER, "n", "ten"))
                .hasMessageContaining("'ten'")
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> Values.variantValue(FlagType.BOOLEAN, "b", "yes"))
                .hasMessageContaining("'yes'");
        assertThatThrownBy(() -> Values.variantValue(FlagType.JSON, "j", "{oops"))
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void parsesWeightsWithOrWithoutPercentSign() {
        assertThat(Values.weight("on=25")).isEqualTo(new WeightedVariant("on", 25));
        assertThat(Values.weight("off=74.5%")).isEqualTo(new WeightedVariant("off", 74.5));
        assertThatThrownBy(() -> Values.weight("on")).hasMessageContaining("'on'");
        assertThatThrownBy(() -> Values.weight("on=lots")).hasMessageContaining("'lots' is not a number");
    }

    @Test
    void parsesDatesAndInstants() {
        assertThat(Values.instant("2026-12-31")).isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));
        assertThat(Values.instant("2026-12-31T18:00:00Z")).isEqualTo(Instant.parse("2026-12-31T18:00:00Z"));
        assertThatThrownBy(() -> Values.instant("next week")).hasMessageContaining("'next week' is not a date");
    }

    @Test
    void readsDurationsAsOperatorsTypeThem() {
        DurationConverter c = new DurationConverter();
        assertThat(c.convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(c.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.convert("1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> c.convert("soon")).hasMessageContaining("'soon' is not a duration");
    }
}
