package io.flagstore.core;

import static io.flagstore.core.TestFlagDefinitions.bool;
import static io.flagstore.core.TestFlagDefinitions.json;
import static io.flagstore.core.TestFlagDefinitions.number;
import static io.flagstore.core.TestFlagDefinitions.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.core.spi.SourceState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlagClientTest {
    private static final EvaluationContext ALICE = EvaluationContext.of("alice");

    record Banner(String text, int size) {}

    private final InMemoryFlagSource source = InMemoryFlagSource.of(
            bool("new-checkout", true),
            bool("legacy", false),
            string("theme", "dark"),
            number("ratio", 0.25),
            number("limit", 42),
            number("huge", 1e12),
            json(
                    "banner",
                    new ObjectMapper().createObjectNode().put("text", "hi").put("size", 3)));
    private final FlagClient client = FlagClient.builder().source(source).build();

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void typedGettersServeTheFlagsValues() {
        assertThat(client.boolValue("new-checkout", ALICE, false)).isTrue();
        assertThat(client.isEnabled("new-checkout", ALICE)).isTrue();
        assertThat(client.isEnabled("legacy", ALICE)).isFalse();
        assertThat(client.stringValue("theme", ALICE, "light")).isEqualTo("dark");
        assertThat(client.numberValue("ratio", ALICE, 1.0)).isEqualTo(0.25);
        assertThat(client.intValue("limit", ALICE, 7)).isEqualTo(42);
        assertThat(client.jsonValue("banner", ALICE, Banner.class, null)).isEqualTo(new Banner("hi", 3));
        assertThat(client.jsonValue("banner", ALICE, Map.class, Map.of()).get("text"))
                .isEqualTo("hi");
    }

    @Test
    void detailsCarryVariantReasonAndVersion() {
        EvaluationDetail<Boolean> on = client.boolDetail("new-checkout", ALICE, false);
        assertThat(on.value()).isTrue();
        assertThat(on.variant()).isEqualTo("on");
        assertThat(on.reason()).isEqualTo(Reason.FALLTHROUGH);
        assertThat(on.errorKind()).isNull();
        assertThat(on.flagVersion()).isEqualTo(1);

        EvaluationDetail<Boolean> off = client.boolDetail("legacy", ALICE, true);
        assertThat(off.value()).isFalse();
        assertThat(off.reason()).isEqualTo(Reason.DISABLED);
        assertThat(client.stringDetail("theme", ALICE, "x").variant()).isEqualTo("v");
        assertThat(client.numberDetail("ratio", ALICE, 0).value()).isEqualTo(0.25);
        assertThat(client.jsonDetail("banner", ALICE, Banner.class, null).reason())
                .isEqualTo(Reason.FALLTHROUGH);
    }

    @Test
    void aMissingFlagServesTheDefaultWithFlagNotFound() {
        EvaluationDetail<Boolean> detail = client.boolDetail("nope", ALICE, true);
        assertThat(detail.value()).isTrue();
        assertError(detail, ErrorKind.FLAG_NOT_FOUND);
        assertThat(client.stringValue("nope", ALICE, "dflt")).isEqualTo("dflt");
        assertThat(client.intValue("nope", ALICE, -3)).isEqualTo(-3);
    }

    @Test
    void aTypeMismatchServesTheDefault() {
        assertThat(client.boolValue("theme", ALICE, true)).isTrue();
        assertError(client.boolDetail("theme", ALICE, false), ErrorKind.TYPE_MISMATCH);
        assertError(client.stringDetail("new-checkout", ALICE, "d"), ErrorKind.TYPE_MISMATCH);
        assertError(client.numberDetail("theme", ALICE, 1), ErrorKind.TYPE_MISMATCH);
        assertThat(client.numberValue("new-checkout", ALICE, 9.5)).isEqualTo(9.5);
        assertError(client.boolDetail("banner", ALICE, false), ErrorKind.TYPE_MISMATCH);
    }

    @Test
    void intValueRefusesNonIntegralAndOutOfRangeNumbers() {
        assertThat(client.intValue("ratio", ALICE, 5)).isEqualTo(5);
        assertThat(client.intValue("huge", ALICE, 6)).isEqualTo(6);
        assertThat(client.numberValue("huge", ALICE, 0)).isEqualTo(1e12);
    }

    @Test
    void aJsonValueThatDoesNotConvertServesTheDefaultWithTypeMismatch() {
        Banner fallback = new Banner("default", 0);
        EvaluationDetail<Integer> detail = client.jsonDetail("banner", ALICE, Integer.class, 7);
        assertThat(detail.value()).isEqualTo(7);
        assertError(detail, ErrorKind.TYPE_MISMATCH);
        assertThat(client.jsonValue("theme", ALICE, Banner.class, fallback)).isSameAs(fallback);
        assertThat(client.jsonValue("theme", ALICE, String.class, "x")).isEqualTo("dark");
    }

    @Test
    void aJsonValueHandedOutCannotChangeTheFlag() {
        ObjectNode mine = client.jsonValue("banner", ALICE, ObjectNode.class, null);
        mine.put("text", "changed by the caller");
        assertThat(client.jsonValue("banner", ALICE, Banner.class, null)).isEqualTo(new Banner("hi", 3));
        assertThat(client.snapshot().detail("banner", ALICE).value()).isInstanceOf(JsonNode.class);
    }

    @Test
    void nullKeyOrContextServesTheDefaultInsteadOfThrowing() {
        assertThat(client.boolValue(null, ALICE, true)).isTrue();
        assertError(client.boolDetail(null, ALICE, false), ErrorKind.FLAG_NOT_FOUND);
        assertThat(client.isEnabled("new-checkout", null)).isFalse();
        assertError(client.stringDetail("theme", null, "d"), ErrorKind.GENERAL);
        assertThat(client.jsonValue(null, null, Banner.class, null)).isNull();
        assertThat(client.intValue("limit", null, 1)).isEqualTo(1);
    }

    @Test
    void changesAreVisibleWhenTheSourceCallReturns() {
        source.setEnabled("new-checkout", false);
        assertThat(client.isEnabled("new-checkout", ALICE)).isFalse();
        source.delete("theme");
        assertError(client.stringDetail("theme", ALICE, "light"), ErrorKind.FLAG_NOT_FOUND);
        assertThat(client.snapshot().version()).isEqualTo(source.version());
    }

    @Test
    void aSnapshotKeepsServingItsVersionAfterUpdates() {
        FlagSnapshot before = client.snapshot();
        source.setEnabled("new-checkout", false);
        assertThat(before.isEnabled("new-checkout", ALICE)).isTrue();
        assertThat(client.snapshot().isEnabled("new-checkout", ALICE)).isFalse();
        assertThat(before.flag("theme")).isPresent();
        assertThat(before.size()).isEqualTo(7);
    }

    @Test
    void healthReportsReadyWithVersionAndAge() {
        ClientHealth health = client.health();
        assertThat(health.state()).isEqualTo(ClientState.READY);
        assertThat(health.isReady()).isTrue();
        assertThat(health.appliedVersion()).isEqualTo(1);
        assertThat(health.lastUpdate()).isNotNull();
        assertThat(health.sinceLastUpdate().isNegative()).isFalse();
        assertThat(health.updatesReceived()).isEqualTo(1);
        source.put(bool("other", true));
        assertThat(client.health().updatesReceived()).isEqualTo(2);
    }

    @Test
    void healthFollowsTheSourceState() {
        source.reportState(SourceState.STALE, "redis down");
        assertThat(client.health().state()).isEqualTo(ClientState.STALE);
        assertThat(client.health().message()).isEqualTo("redis down");
        source.reportState(SourceState.NAMESPACE_RESET, "empty");
        assertThat(client.health().state()).isEqualTo(ClientState.NAMESPACE_RESET);
        source.reportState(SourceState.VALID, null);
        assertThat(client.health().state()).isEqualTo(ClientState.READY);
        client.close();
        assertThat(client.health().state()).isEqualTo(ClientState.CLOSED);
        assertThat(client.isEnabled("new-checkout", ALICE)).isTrue();
    }

    @Test
    void sinceLastUpdateUsesTheClock() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (FlagClient timed = FlagClient.builder()
                .source(InMemoryFlagSource.of(bool("a", true)))
                .clock(clock)
                .build()) {
            clock.advance(Duration.ofSeconds(90));
            assertThat(timed.health().sinceLastUpdate()).isEqualTo(Duration.ofSeconds(90));
            assertThat(timed.health().lastUpdate()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        }
    }

    @Test
    void buildReturnsAfterTheStartTimeoutAndServesDefaultsUntilTheFirstFlagSet() {
        AtomicReference<FlagSink> sink = new AtomicReference<>();
        FlagSource late = new FlagSource() {
            @Override
            public void start(FlagSink s) {
                sink.set(s);
            }

            @Override
            public void close() {}
        };
        try (FlagClient waiting = FlagClient.builder()
                .source(late)
                .startTimeout(Duration.ofMillis(20))
                .build()) {
            assertThat(waiting.health().state()).isEqualTo(ClientState.INITIALIZING);
            assertThat(waiting.boolValue("a", ALICE, true)).isTrue();
            assertError(waiting.boolDetail("a", ALICE, false), ErrorKind.NOT_READY);

            sink.get().init(new FlagData(3, Map.of("a", bool("a", false)), Map.of()));
            assertThat(waiting.boolValue("a", ALICE, true)).isFalse();
            assertThat(waiting.health().state()).isEqualTo(ClientState.READY);
            assertThat(waiting.health().appliedVersion()).isEqualTo(3);
            assertError(waiting.boolDetail("b", ALICE, false), ErrorKind.FLAG_NOT_FOUND);
        }
    }

    @Test
    void buildWithoutSourceIsRefused() {
        assertThatThrownBy(() -> FlagClient.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("source");
        assertThatThrownBy(() -> FlagClient.builder().startTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-1S");
    }

    @Test
    void closeClosesTheSourceOnce() {
        int[] closes = {0};
        FlagSource counting = new FlagSource() {
            @Override
            public void start(FlagSink sink) {
                sink.init(FlagData.empty());
            }

            @Override
            public void close() {
                closes[0]++;
            }
        };
        FlagClient c = FlagClient.builder().source(counting).build();
        c.close();
        c.close();
        assertThat(closes[0]).isEqualTo(1);
    }

    private static void assertError(EvaluationDetail<?> detail, ErrorKind kind) {
        assertThat(detail.reason()).isEqualTo(Reason.ERROR);
        assertThat(detail.errorKind()).isEqualTo(kind);
        assertThat(detail.variant()).isNull();
    }

    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
