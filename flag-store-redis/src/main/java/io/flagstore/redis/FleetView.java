package io.flagstore.redis;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The namespace's version and epoch with its presence entries, judged ({@link FlagAdmin#fleet()}).
 * Each entry is judged by its own heartbeat interval (the default for entries that do not say):
 * live while it heartbeats within three intervals, <em>lost</em> (silent, kept for a while so a
 * shrinking fleet is noticed) after that, and <em>closed</em> when it shut down cleanly. Entries
 * whose values cannot be true (a heartbeat in the future, a version beyond any a namespace can
 * reach) are set apart as implausible and never count as live.
 *
 * @param version the namespace version Redis holds
 * @param epoch the namespace epoch, or {@code null} if the namespace was never written
 * @param readAt when the entries were read (this host's clock)
 * @param live the live instances, sorted by service then instance
 * @param closed instances that closed cleanly within three heartbeat intervals
 * @param lost instances silent for more than three heartbeat intervals but less than ten
 * @param implausible entries refused, each with why
 * @param trustedKeys service name to the presence key an operator vouches for ({@code flagctl trust
 *     add}); when not empty, an entry confirms only if signed by its service's trusted key
 */
public record FleetView(
        long version,
        String epoch,
        Instant readAt,
        List<ServiceInstance> live,
        List<ServiceInstance> closed,
        List<ServiceInstance> lost,
        List<Implausible> implausible,
        Map<String, String> trustedKeys) {
    public FleetView {
        Objects.requireNonNull(readAt, "readAt");
        live = List.copyOf(live);
        closed = List.copyOf(closed);
        lost = List.copyOf(lost);
        implausible = List.copyOf(implausible);
        trustedKeys = Map.copyOf(trustedKeys);
    }

    /**
     * A presence entry that was not believed.
     *
     * @param field its field in the presence hash (the instance id it claims)
     * @param reason why it was refused
     */
    public record Implausible(String field, String reason) {}

    /**
     * Whether {@code instance}, as read in this view, confirms a write of {@code writtenVersion} made
     * at {@code writtenAt}: it applied that version or a later one, of the namespace's epoch, not
     * beyond the version Redis holds, and not before the write was made (a negative apply time is
     * an older apply of the same version number, e.g. after the version went backwards). A closed
     * instance confirms with the last version it applied.
     */
    public boolean confirms(ServiceInstance instance, long writtenVersion, Instant writtenAt) {
        return epoch != null
                && epoch.equals(instance.epoch())
                && instance.appliedVersion() >= writtenVersion
                && instance.appliedVersion() <= version
                && instance.appliedAt() != null
                && !instance.appliedAt().isBefore(writtenAt);
    }

    /**
     * Why {@code entry} cannot be taken as written by its instance, or {@code null} if it can; {@code
     * firstSeen} is the entry the caller first saw of that instance. Any holder of the service role
     * can write any presence entry, but not sign with a key it does not hold. An instance keeps the
     * service it was first seen with. When keys are {@linkplain #trustedKeys() trusted}, an entry is
     * its instance's only if signed by the key trusted for its service; otherwise the instance is
     * trusted on first sight: the entry must be signed by the key it was first seen with.
     */
    public String unverified(ServiceInstance entry, ServiceInstance firstSeen) {
        if (entry.signingKey() == null) {
            return "unsigned entry (a source older than signed presence, or written by another hand)";
        }
        if (!entry.service().equals(firstSeen.service())) {
            return "claims service '" + entry.service() + "', first seen as '" + firstSeen.service() + "'";
        }
        if (!trustedKeys.isEmpty()) {
            if (!trustedKeys.containsKey(entry.service())) {
                return "no presence key is trusted for service '" + entry.service() + "'";
            }
            return trusts(entry) ? null : "not signed by the key trusted for service '" + entry.service() + "'";
        }
        if (firstSeen.signingKey() == null) {
            return "unsigned when first seen and signed now: cannot tell it from another writer's";
        }
        return entry.signingKey().equals(firstSeen.signingKey()) ? null : "signed by another key than when first seen";
    }

    /** Whether {@code entry} is signed by the key trusted for its service. */
    public boolean trusts(ServiceInstance entry) {
        return signedByTrustedKey(entry, trustedKeys);
    }

    static boolean signedByTrustedKey(ServiceInstance entry, Map<String, String> trustedKeys) {
        return entry.signingKey() != null && entry.signingKey().equals(trustedKeys.get(entry.service()));
    }

    /**
     * The live instances of the namespace's epoch that report a version above the namespace's: when
     * not empty, the namespace version went backwards (or an entry lies), and a write would be
     * ignored by them.
     */
    public List<ServiceInstance> ahead() {
        return live.stream()
                .filter(i -> epoch != null && epoch.equals(i.epoch()) && i.appliedVersion() > version)
                .toList();
    }
}
