package io.flagstore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationContextTest {

    @Test
    void keyIsReturnedForTheKeyAttribute() {
        EvaluationContext ctx = EvaluationContext.of("user-1");

        assertThat(ctx.key()).isEqualTo("user-1");
        assertThat(ctx.attribute("key")).isEqualTo("user-1");
        assertThat(ctx.attribute("country")).isNull();
        assertThat(ctx.attributes()).isEmpty();
    }

    @Test
    void numbersAreNormalisedToDouble() {
        EvaluationContext ctx = EvaluationContext.builder("u")
                .set("age", 37)
                .set("score", 0.5)
                .set("ids", List.of(1, 2L, 3.5f))
                .build();

        assertThat(ctx.attribute("age")).isEqualTo(37.0);
        assertThat(ctx.attribute("score")).isEqualTo(0.5);
        assertThat(ctx.attribute("ids")).isEqualTo(List.of(1.0, 2.0, 3.5));
    }

    @Test
    void valuesKeepTheirTypes() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        EvaluationContext ctx = EvaluationContext.builder("u")
                .set("country", "DE")
                .set("beta", true)
                .set("signup", now)
                .build();

        assertThat(ctx.attributes())
                .containsExactly(Map.entry("country", "DE"), Map.entry("beta", true), Map.entry("signup", now));
    }

    @Test
    void listAttributeIsAnImmutableCopy() {
        List<String> groups = new ArrayList<>(List.of("beta"));
        EvaluationContext ctx =
                EvaluationContext.builder("u").set("groups", groups).build();
        groups.add("staff");

        assertThat(ctx.attribute("groups")).isEqualTo(List.of("beta"));
        assertThatThrownBy(() -> ((List<?>) ctx.attribute("groups")).clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void settingAgainReplacesAndNullUnsets() {
        EvaluationContext ctx = EvaluationContext.builder("u")
                .set("a", "1")
                .set("b", "2")
                .set("a", "3")
                .set("b", (String) null)
                .set("c", (Instant) null)
                .build();

        assertThat(ctx.attributes()).containsExactly(Map.entry("a", "3"));
    }

    @Test
    void builderCanBeReusedWithoutAffectingBuiltContexts() {
        EvaluationContext.Builder builder = EvaluationContext.builder("u").set("a", "1");
        EvaluationContext first = builder.build();
        builder.set("a", "2").set("b", "x").set("c", "x").set("d", "x").set("e", "x");

        assertThat(first.attributes()).containsExactly(Map.entry("a", "1"));
        assertThat(builder.build().attribute("e")).isEqualTo("x");
    }

    @Test
    void badInputIsRefusedWithTheNameOfWhatIsWrong() {
        assertThatThrownBy(() -> EvaluationContext.of(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> EvaluationContext.builder("u").set("key", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'key' is reserved");
        assertThatThrownBy(() -> EvaluationContext.builder("u").set("tags", List.of("a", new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribute 'tags' element 1");
        assertThatThrownBy(() -> EvaluationContext.builder("u").set(null, "x"))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void equalContextsAreEqual() {
        EvaluationContext a = EvaluationContext.builder("u").set("x", 1).build();
        EvaluationContext b = EvaluationContext.builder("u").set("x", 1.0).build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(EvaluationContext.of("u"));
    }
}
