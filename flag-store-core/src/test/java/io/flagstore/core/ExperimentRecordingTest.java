package io.flagstore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.FlagClientTest.MutableClock;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Experiment;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Rule;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.core.spi.Exposure;
import io.flagstore.core.spi.Outcome;
import io.flagstore.core.testing.RecordingExperimentSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExperimentRecordingTest {
    static final Instant START = Instant.parse("2027-01-04T09:00:00Z");
    static final String METRIC = "checkout.completed";

    static Flag experimentFlag(Instant stopAt) {
        return Flag.booleanFlag("new-checkout")
                .enabled(true)
                .target(Flag.ON, List.of("staff-1"))
                .fallthrough(Serve.rollout(new Rollout(
                        List.of(new WeightedVariant(Flag.OFF, 50), new WeightedVariant(Flag.ON, 50)), null)))
                .experiment(new Experiment(
                        Flag.OFF, "the new checkout converts better", List.of(METRIC), null, START, stopAt))
                .build();
    }

    private static FlagClient client(RecordingExperimentSink sink, MutableClock clock, Flag... flags) {
        return FlagClient.builder()
                .source(InMemoryFlagSource.of(flags))
                .exposureSink(sink)
                .clock(clock)
                .experimentFlushInterval(Duration.ofMillis(10))
                .build();
    }

    @Test
    void eachExposedUnitIsReportedOncePerVariantAndOnlyForTheExperimentsRollout() {
        RecordingExperimentSink sink = new RecordingExperimentSink();
        MutableClock clock = new MutableClock(START.plusSeconds(60));
        FlagClient client = client(sink, clock, experimentFlag(null), TestFlagDefinitions.bool("plain", true));
        Map<String, String> served = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 1_000; i++) {
                EvaluationContext ctx = EvaluationContext.of("user-" + i);
                served.put(
                        ctx.key(), client.boolDetail("new-checkout", ctx, false).variant());
                client.isEnabled("plain", ctx);
            }
        }
        client.isEnabled("new-checkout", EvaluationContext.of("staff-1")); // a target: not in the experiment
        client.close();

        assertThat(sink.exposures()).hasSize(1_000);
        assertThat(sink.exposures()).allSatisfy(e -> {
            assertThat(e.flagKey()).isEqualTo("new-checkout");
            assertThat(e.variant()).isEqualTo(served.get(e.contextKey()));
            assertThat(e.unit()).isEqualTo(e.contextKey());
            assertThat(e.run()).isEqualTo(START);
        });
        assertThat(sink.exposures().stream().map(Exposure::variant).distinct()).containsExactlyInAnyOrder("on", "off");
    }

    @Test
    void nothingIsRecordedBeforeTheStartOrAfterTheStop() {
        RecordingExperimentSink sink = new RecordingExperimentSink();
        MutableClock clock = new MutableClock(START.minusSeconds(60));
        FlagClient client = client(sink, clock, experimentFlag(START.plusSeconds(3_600)));
        EvaluationContext early = EvaluationContext.of("early");
        client.isEnabled("new-checkout", early);
        client.track(METRIC, early);

        clock.advance(Duration.ofMinutes(2)); // running now: the flusher notices within an interval
        await().untilAsserted(() -> {
            client.isEnabled("new-checkout", EvaluationContext.of("probe"));
            assertThat(sink.exposures()).extracting(Exposure::contextKey).contains("probe");
        });
        client.isEnabled("new-checkout", early); // forgotten? no: never remembered while not running
        client.track(METRIC, early);
        await().untilAsserted(() ->
                assertThat(sink.exposures()).extracting(Exposure::contextKey).contains("early"));
        await().untilAsserted(() ->
                assertThat(sink.outcomes()).extracting(Outcome::unit).containsExactly("early"));

        clock.advance(Duration.ofHours(2)); // stopped
        int before = sink.exposures().size();
        await().untilAsserted(() -> {
            sink.clear();
            client.isEnabled("new-checkout", EvaluationContext.of("late-" + System.nanoTime()));
            Thread.yield();
            assertThat(sink.exposures()).isEmpty();
        });
        client.close();
        assertThat(before).isGreaterThanOrEqualTo(2);
    }

    @Test
    void trackAttributesOutcomesToTheAssignedVariantWithValuesAndOnlyForJudgedMetrics() {
        RecordingExperimentSink sink = new RecordingExperimentSink();
        MutableClock clock = new MutableClock(START.plusSeconds(60));
        FlagClient client = client(sink, clock, experimentFlag(null));
        Map<String, String> assigned = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            EvaluationContext ctx = EvaluationContext.of("user-" + i);
            assigned.put(
                    ctx.key(), client.boolDetail("new-checkout", ctx, false).variant());
            client.track(METRIC, ctx, i);
            client.track("newsletter.signup", ctx); // no experiment is judged on it
        }
        client.track(METRIC, EvaluationContext.of("staff-1")); // targeted: not in the experiment
        client.track(null, EvaluationContext.of("x"));
        client.track(METRIC, null);
        client.track(METRIC, EvaluationContext.of("x"), Double.NaN);
        client.close();

        assertThat(sink.outcomes()).hasSize(200);
        assertThat(sink.outcomes()).allSatisfy(o -> {
            assertThat(o.metric()).isEqualTo(METRIC);
            assertThat(o.variant()).isEqualTo(assigned.get(o.unit()));
            assertThat(o.value()).isEqualTo(Double.parseDouble(o.unit().substring(5)));
        });
    }

    @Test
    void anExperimentOnARuleCountsOnlyTheContextsThatRuleServes() {
        Flag flag = Flag.builder("checkout-theme", io.flagstore.core.model.FlagType.STRING)
                .variant("classic", TextNode.valueOf("classic"))
                .variant("bold", TextNode.valueOf("bold"))
                .offVariant("classic")
                .enabled(true)
                .rule(new Rule(
                        "germany",
                        null,
                        List.of(new Clause("country", Operator.IN, List.of(TextNode.valueOf("DE")), false)),
                        Serve.rollout(new Rollout(
                                List.of(new WeightedVariant("classic", 50), new WeightedVariant("bold", 50)), null))))
                .fallthrough(Serve.rollout(new Rollout(
                        List.of(new WeightedVariant("classic", 50), new WeightedVariant("bold", 50)), null)))
                .experiment(new Experiment("classic", null, List.of(METRIC), "germany", START, null))
                .build();
        RecordingExperimentSink sink = new RecordingExperimentSink();
        FlagClient client = client(sink, new MutableClock(START.plusSeconds(1)), flag);
        Set<String> germans = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String country = i % 2 == 0 ? "DE" : "NL";
            EvaluationContext ctx =
                    EvaluationContext.builder("u" + i).set("country", country).build();
            if (country.equals("DE")) {
                germans.add(ctx.key());
            }
            client.stringValue("checkout-theme", ctx, "classic");
        }
        client.close();
        assertThat(sink.exposures()).extracting(Exposure::contextKey).containsExactlyInAnyOrderElementsOf(germans);
    }

    @Test
    void metersCountExposuresAndConversionsPerVariantAndJsonLinesCarryRawExposures() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StringWriter lines = new StringWriter();
        FlagClient client = FlagClient.builder()
                .source(InMemoryFlagSource.of(experimentFlag(null)))
                .exposureSink(JsonLinesExposureSink.to(lines))
                .meterRegistry(registry)
                .clock(new MutableClock(START.plusSeconds(1)))
                .build();
        for (int i = 0; i < 100; i++) {
            EvaluationContext ctx = EvaluationContext.of("user-" + i);
            client.isEnabled("new-checkout", ctx);
            client.track(METRIC, ctx, 2.5);
        }
        client.close();

        double exposures = registry.find(ExperimentMeters.EXPOSURES).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
        double conversions = registry.find(ExperimentMeters.CONVERSIONS).tag("metric", METRIC).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
        double value = registry.find(ExperimentMeters.VALUE).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
        assertThat(exposures).isEqualTo(100);
        assertThat(conversions).isEqualTo(100);
        assertThat(value).isEqualTo(250);
        assertThat(registry.find(ExperimentMeters.EXPOSURES)
                        .tag("variant", "on")
                        .counter())
                .isNotNull();
        String[] written = lines.toString().split("\n");
        assertThat(written).hasSize(100);
        assertThat(written[0]).startsWith("{\"type\":\"exposure\",\"flag\":\"new-checkout\",\"variant\":\"");
        assertThat(written[0]).contains("\"run\":\"2027-01-04T09:00:00Z\"");
    }
}
