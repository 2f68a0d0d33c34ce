package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules by which presence entries are believed and count as confirmations, without Redis. */
class FleetViewTest {
    private static final Instant WRITTEN = Instant.parse("2026-12-03T08:00:00Z");
    private static final String EPOCH = "e1";

    private static ServiceInstance instance(long applied, Instant appliedAt, String epoch) {
        return new ServiceInstance("svc", "i", null, applied, appliedAt, WRITTEN, null, epoch, null, null, null);
    }

    private static FleetView view(long version, ServiceInstance... live) {
        return new FleetView(
                version, EPOCH, WRITTEN.plusSeconds(1), List.of(live), List.of(), List.of(), List.of(), Map.of());
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
    void withoutTrustedKeysOnlyAnEntrySignedByTheKeyFirstSeenIsTheInstancesOwn() {
        FleetView view = view(2);
        ServiceInstance unsigned = instance(2, WRITTEN, EPOCH);
        ServiceInstance firstSeen = unsigned.withSigningKey("k1");
        assertThat(view.unverified(unsigned.withSigningKey("k1"), firstSeen)).isNull();
        assertThat(view.unverified(unsigned.withSigningKey("k2"), firstSeen))
                .isEqualTo("signed by another key than when first seen");
        assertThat(view.unverified(unsigned, firstSeen)).startsWith("unsigned entry");
        assertThat(view.unverified(unsigned, unsigned)).startsWith("unsigned entry");
        // unsigned when first seen: a signature now cannot be told from another writer's
        assertThat(view.unverified(unsigned.withSigningKey("k1"), unsigned)).startsWith("unsigned when first seen");
    }

    @Test
    void withTrustedKeysOnlyAnEntrySignedByItsServicesTrustedKeyIsTheInstancesOwn() {
        FleetView view =
                new FleetView(2, EPOCH, WRITTEN, List.of(), List.of(), List.of(), List.of(), Map.of("svc", "trusted"));
        ServiceInstance entry = instance(2, WRITTEN, EPOCH);
        ServiceInstance forgerFirst = entry.withSigningKey("forger");

        assertThat(view.unverified(entry.withSigningKey("trusted"), forgerFirst))
                .as("the trusted key, whatever key the instance was first seen with")
                .isNull();
        assertThat(view.unverified(forgerFirst, forgerFirst))
                .as("a forger who re-keyed the instance before the write")
                .isEqualTo("not signed by the key trusted for service 'svc'");
        ServiceInstance otherService = new ServiceInstance(
                        "other", "i", null, 2, WRITTEN, WRITTEN, null, EPOCH, null, null, null)
                .withSigningKey("k");
        assertThat(view.unverified(otherService, otherService))
                .isEqualTo("no presence key is trusted for service 'other'");
        assertThat(view.unverified(entry, entry)).startsWith("unsigned entry");
        assertThat(view.trusts(entry.withSigningKey("trusted"))).isTrue();
        assertThat(view.trusts(forgerFirst)).isFalse();
        assertThat(view.trusts(entry)).isFalse();
        assertThat(view.trusts(otherService)).isFalse();
    }

    @Test
    void anInstanceKeepsTheServiceItWasFirstSeenWith() {
        ServiceInstance asOther = new ServiceInstance(
                        "other", "i", null, 2, WRITTEN, WRITTEN, null, EPOCH, null, null, null)
                .withSigningKey("k");
        FleetView trusting = new FleetView(
                2, EPOCH, WRITTEN, List.of(), List.of(), List.of(), List.of(), Map.of("svc", "a", "other", "k"));

        for (FleetView view : List.of(view(2), trusting)) {
            assertThat(view.unverified(asOther, instance(2, WRITTEN, EPOCH).withSigningKey("k")))
                    .isEqualTo("claims service 'other', first seen as 'svc'");
        }
    }
}
