package io.flagstore.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagType;
import io.flagstore.core.model.Serve;
import io.flagstore.core.spi.SourceState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlagStoreMetricsTest {
    private static final EvaluationContext ALICE = EvaluationContext.of("alice");

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final InMemoryFlagSource source = InMemoryFlagSource.of(
            Flag.killSwitch("payments"), Flag.booleanFlag("beta").build(), string("theme", "dark"));
    private FlagClient client =
            FlagClient.builder().source(source).meterRegistry(registry).build();

    @AfterEach
    void close() {
        client.close();
    }

    private static Flag string(String key, String value) {
        return Flag.builder(key, FlagType.STRING)
                .enabled(true)
                .variant("v", TextNode.valueOf(value))
                .offVariant("v")
                .fallthrough(Serve.variant("v"))
                .build();
    }

    private double evaluations(String flag, String variant, String reason) {
        return registry.get("flagstore.evaluations")
                .tags("flag", flag, "variant", variant, "reason", reason)
                .functionCounter()
                .count();
    }

    @Test
    void evaluationsAreCountedByFlagVariantAndReason() {
        for (int i = 0; i < 3; i++) {
            client.isEnabled("payments", ALICE);
        }
        client.isEnabled("beta", ALICE);
        client.snapshot().stringValue("theme", ALICE, "x");

        assertThat(evaluations("payments", "on", "FALLTHROUGH")).isEqualTo(3);
        assertThat(evaluations("beta", "off", "DISABLED")).isEqualTo(1);
        assertThat(evaluations("theme", "v", "FALLTHROUGH")).isEqualTo(1);
    }

    @Test
    void errorsAreCountedByKindAndAsEvaluationsOfTheDefault() {
        client.isEnabled("missing", ALICE);
        client.isEnabled("missing", ALICE);
        client.boolValue("theme", ALICE, false);
        client.isEnabled(null, ALICE);

        assertThat(registry.get("flagstore.evaluation.errors")
                        .tags("flag", "missing", "kind", "FLAG_NOT_FOUND")
                        .functionCounter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("flagstore.evaluation.errors")
                        .tags("flag", "theme", "kind", "TYPE_MISMATCH")
                        .functionCounter()
                        .count())
                .isEqualTo(1);
        assertThat(evaluations("missing", "__default__", "ERROR")).isEqualTo(2);
        assertThat(registry.get("flagstore.evaluation.errors")
                        .tags("flag", "__none__")
                        .functionCounter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void changeListenerReadsAreNotCountedAsEvaluations() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        client.onChange(event -> {
            seen.add(event.oldValue(ALICE));
            seen.add(event.newValue(ALICE));
            seen.add(event.before().isEnabled(event.key(), ALICE));
            seen.add(event.after().stringValue("missing", ALICE, "default"));
        });
        source.setEnabled("payments", false);
        await().until(() -> seen.size() == 4);
        assertThat(seen).containsExactly(true, false, true, "default");
        assertThat(totalCount("flagstore.evaluations")).isZero();
        assertThat(totalCount("flagstore.evaluation.errors")).isZero();

        client.isEnabled("payments", ALICE);
        assertThat(totalCount("flagstore.evaluations")).isEqualTo(1);
        assertThat(evaluations("payments", "off", "DISABLED")).isEqualTo(1);
    }

    private double totalCount(String name) {
        return registry.find(name).functionCounters().stream()
                .mapToDouble(FunctionCounter::count)
                .sum();
    }

    @Test
    void countersFollowNewVersionsOfAFlag() {
        client.isEnabled("payments", ALICE);
        source.setEnabled("payments", false);
        client.isEnabled("payments", ALICE);
        source.setEnabled("payments", true);
        client.isEnabled("payments", ALICE);

        assertThat(evaluations("payments", "on", "FALLTHROUGH")).isEqualTo(2);
        assertThat(evaluations("payments", "off", "DISABLED")).isEqualTo(1);
    }

    @Test
    void flagsBeyondTheCapShareTheOtherTag() {
        client.close();
        client = FlagClient.builder()
                .source(InMemoryFlagSource.of(Flag.killSwitch("a"), Flag.killSwitch("b"), Flag.killSwitch("c")))
                .meterRegistry(registry)
                .metricsOptions(MetricsOptions.builder()
                        .maxTaggedFlags(1)
                        .variantTag(false)
                        .build())
                .build();
        client.isEnabled("a", ALICE);
        client.isEnabled("b", ALICE);
        client.isEnabled("c", ALICE);

        List<String> flagTags = registry.find("flagstore.evaluations").functionCounters().stream()
                .map(c -> c.getId().getTag("flag"))
                .toList();
        assertThat(flagTags).containsExactlyInAnyOrder("a", MetricsOptions.OTHER_FLAG);
        FunctionCounter other = registry.get("flagstore.evaluations")
                .tag("flag", MetricsOptions.OTHER_FLAG)
                .functionCounter();
        assertThat(other.count()).isEqualTo(2);
        assertThat(other.getId().getTag("variant")).isNull();
        assertThat(registry.find("flagstore.flag.enabled").gauges()).hasSize(1);
    }

    @Test
    void gaugesShowFlagCountVersionStateAndAge() {
        assertThat(registry.get("flagstore.flags").gauge().value()).isEqualTo(3);
        assertThat(registry.get("flagstore.snapshot.version").gauge().value()).isEqualTo(1);
        assertThat(state("ready")).isEqualTo(1);
        assertThat(state("stale")).isEqualTo(0);
        assertThat(registry.get("flagstore.last.update.age").timeGauge().value(TimeUnit.MILLISECONDS))
                .isBetween(0.0, 60_000.0);
        assertThat(registry.get("flagstore.updates").functionCounter().count()).isEqualTo(1);

        source.put(Flag.killSwitch("new"));
        source.reportState(SourceState.STALE, "down");
        assertThat(registry.get("flagstore.flags").gauge().value()).isEqualTo(4);
        assertThat(registry.get("flagstore.snapshot.version").gauge().value()).isEqualTo(2);
        assertThat(registry.get("flagstore.updates").functionCounter().count()).isEqualTo(2);
        assertThat(state("stale")).isEqualTo(1);
        assertThat(state("ready")).isEqualTo(0);
    }

    @Test
    void perFlagGaugesFollowFlipsCreationsAndDeletions() {
        assertThat(flagGauge("flagstore.flag.enabled", "payments")).isEqualTo(1);
        assertThat(flagGauge("flagstore.flag.enabled", "beta")).isEqualTo(0);
        long version = source.setEnabled("payments", false);
        assertThat(flagGauge("flagstore.flag.enabled", "payments")).isEqualTo(0);
        assertThat(flagGauge("flagstore.flag.version", "payments")).isEqualTo(version);

        source.put(Flag.killSwitch("fresh"));
        source.delete("beta");
        await().until(() -> registry.find("flagstore.flag.enabled")
                                .tag("flag", "fresh")
                                .gauge()
                        != null
                && registry.find("flagstore.flag.enabled").tag("flag", "beta").gauge() == null);
        assertThat(flagGauge("flagstore.flag.enabled", "fresh")).isEqualTo(1);
    }

    @Test
    void closingTheClientRemovesItsGaugesButKeepsCounters() {
        client.isEnabled("payments", ALICE);
        client.close();
        assertThat(registry.find("flagstore.flags").gauges()).isEmpty();
        assertThat(registry.find("flagstore.flag.enabled").gauges()).isEmpty();
        assertThat(evaluations("payments", "on", "FALLTHROUGH")).isEqualTo(1);

        client = FlagClient.builder()
                .source(InMemoryFlagSource.of(Flag.killSwitch("only")))
                .meterRegistry(registry)
                .build();
        assertThat(registry.get("flagstore.flags").gauge().value()).isEqualTo(1);
    }

    @Test
    void clientsOnOneRegistryCountIntoTheSameSeries() {
        try (FlagClient second = FlagClient.builder()
                .source(InMemoryFlagSource.of(Flag.killSwitch("payments")))
                .meterRegistry(registry)
                .build()) {
            client.isEnabled("payments", ALICE);
            second.isEnabled("payments", ALICE);
            second.isEnabled("payments", ALICE);
        }
        assertThat(evaluations("payments", "on", "FALLTHROUGH")).isEqualTo(3);
        // closing the second client left the first one's gauges alone
        assertThat(registry.get("flagstore.flags").gauge().value()).isEqualTo(3);
        assertThat(registry.get("flagstore.flag.enabled")
                        .tag("flag", "payments")
                        .gauge()
                        .value())
                .isEqualTo(1);
    }

    @Test
    void everyMeterIsDescribed() {
        client.isEnabled("payments", ALICE);
        client.isEnabled("missing", ALICE);
        List<Meter> meters = registry.getMeters();
        assertThat(meters).isNotEmpty();
        assertThat(meters).allSatisfy(meter -> assertThat(meter.getId().getDescription())
                .as(meter.getId().getName())
                .isNotBlank());
        assertThat(meters)
                .allSatisfy(meter -> assertThat(meter.getId().getName()).startsWith("flagstore."));
    }

    @Test
    void withoutARegistryNothingIsRecorded() {
        SimpleMeterRegistry unused = new SimpleMeterRegistry();
        try (FlagClient plain = FlagClient.builder()
                .source(InMemoryFlagSource.of(Flag.killSwitch("a")))
                .build()) {
            assertThat(plain.isEnabled("a", ALICE)).isTrue();
        }
        assertThat(unused.getMeters()).isEmpty();
    }

    private double state(String state) {
        return registry.get("flagstore.client.state")
                .tag("state", state)
                .gauge()
                .value();
    }

    private double flagGauge(String name, String flag) {
        RequiredSearch search = registry.get(name).tag("flag", flag);
        return search.gauge().value();
    }
}
