package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules by which presence entries are believed and count as confirmations, without Redis. */
class FleetViewTest {
    private static final Instant WRITTEN = Instant.parse("2026-12-03T08:00:00Z");
    private static final String EPOCH = "e1";

    private static ServiceInstance instance(long applied, Instant appliedAt, String epoch) {
        return new ServiceInstance("svc", "i", null, applied, appliedAt, WRITTEN, null, epoch, null, null, null);
    }

    private static FleetView view(long version, ServiceInstance... live) {
        return new FleetView(version, EPOCH, WRITTEN.plusSeconds(1), List.of(live), List.of(), List.of(), List.of());
    }

    @Test
    void aConfirmationIsTheWritesVersionOrLaterOfTheEpochAppliedAfterTheWrite() {
        FleetView view = view(12);

        assertThat(view.confirms(instance(10, WRITTEN.plusMillis(4), EPOCH), 10, WRITTEN))
                .isTrue();
        assertThat(view.confirms(instance(12, WRITTEN.plusMillis(4), EPOCH), 10, WRITTEN))
                .isTrue();
        assertThat(view.confirms(instance(9, WRITTEN.plusMillis(4), EPOCH), 10, WRITTEN))
                .isFalse();
        assertThat(view.confirms(instance(13, WRITTEN.plusMillis(4), EPOCH), 10, WRITTEN))
                .as("beyond the namespace's version")
                .isFalse();
        assertThat(view.confirms(instance(10, WRITTEN.minusMillis(1), EPOCH), 10, WRITTEN))
                .as("a negative apply time")
                .isFalse();
        assertThat(view.confirms(instance(10, WRITTEN.plusMillis(4), "e0"), 10, WRITTEN))
                .as("another epoch")
                .isFalse();
        assertThat(view.confirms(instance(10, null, EPOCH), 10, WRITTEN)).isFalse();
    }

    @Test
    void liveInstancesOfTheEpochAboveTheNamespaceVersionMeanItWentBackwards() {
        ServiceInstance ahead = instance(15, WRITTEN, EPOCH);
        ServiceInstance otherEpoch = instance(99, WRITTEN, "e0");

        assertThat(view(12, ahead, otherEpoch, instance(12, WRITTEN, EPOCH)).ahead())
                .containsExactly(ahead);
    }

    @Test
    void entriesThatCannotBeTrueAreNotBelieved() {
        Instant now = WRITTEN;
        ServiceInstance fine = instance(3, now, EPOCH);

        assertThat(Presence.implausibility(fine, now)).isNull();
        assertThat(Presence.implausibility(instance(Presence.MAX_VERSION + 1, now, EPOCH), now))
                .contains("out of range");
        assertThat(Presence.implausibility(instance(-1, now, EPOCH), now)).contains("out of range");
        assertThat(Presence.implausibility(
                        new ServiceInstance("s", "i", null, 1, now, now.plusSeconds(5), null, EPOCH, null, null, null),
                        now))
                .contains("in the future");
        assertThat(Presence.implausibility(
                        new ServiceInstance("s", "i", null, 1, now, now, null, EPOCH, Duration.ofDays(2), null, null),
                        now))
                .contains("interval");
        assertThat(Presence.interval(fine)).isEqualTo(RedisFlagSource.DEFAULT_HEARTBEAT_INTERVAL);
    }

    @Test
    void onlyAnEntrySignedByTheKeyFirstSeenIsTheInstancesOwn() {
        ServiceInstance unsigned = instance(2, WRITTEN, EPOCH);
        assertThat(FleetView.unverified(unsigned.withSigningKey("k1"), "k1")).isNull();
        assertThat(FleetView.unverified(unsigned.withSigningKey("k2"), "k1"))
                .isEqualTo("signed by another key than when first seen");
        assertThat(FleetView.unverified(unsigned, "k1")).startsWith("unsigned entry");
        assertThat(FleetView.unverified(unsigned, null)).startsWith("unsigned entry");
        // unsigned when first seen: a signature now cannot be told from another writer's
        assertThat(FleetView.unverified(unsigned.withSigningKey("k1"), null)).startsWith("unsigned when first seen");
    }
}
