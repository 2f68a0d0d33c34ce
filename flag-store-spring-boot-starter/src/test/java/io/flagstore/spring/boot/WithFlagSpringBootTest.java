package io.flagstore.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.testing.TestFlags;
import io.flagstore.core.testing.WithFlag;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * {@code @WithFlag} in a {@code @SpringBootTest}: the context's client serves the pins, without
 * Redis (the URI below is never connected to) and without a JUnit extension.
 */
@SpringBootTest(
        classes = TestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"flagstore.redis.uri=redis://127.0.0.1:1", "flagstore.fail-fast=true"})
@WithFlag(key = "new-checkout", value = "true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WithFlagSpringBootTest {
    private static final EvaluationContext USER = EvaluationContext.of("user-1");

    @Autowired
    FlagClient flags;

    @Autowired
    TestFlags testFlags;

    @Test
    @Order(1)
    @WithFlag(key = "theme", value = "dark")
    void classAndMethodPinsAreServed() {
        assertThat(flags.isEnabled("new-checkout", USER)).isTrue();
        assertThat(flags.stringValue("theme", USER, "classic")).isEqualTo("dark");
        testFlags.set("leaky", true);
    }

    @Test
    @Order(2)
    @WithFlag(key = "new-checkout", value = "false")
    void theMethodWinsAndEarlierChangesAreGone() {
        assertThat(flags.isEnabled("new-checkout", USER)).isFalse();
        assertThat(flags.stringValue("theme", USER, "classic")).isEqualTo("classic");
        assertThat(flags.isEnabled("leaky", USER)).isFalse();
    }
}
