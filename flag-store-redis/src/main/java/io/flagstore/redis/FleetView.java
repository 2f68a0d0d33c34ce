package io.flagstore.redis;

import java.time.Instant;
import java.util.List;
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
 */
public record FleetView(
        long version,
        String epoch,
        Instant readAt,
        List<ServiceInstance> live,
        List<ServiceInstance> closed,
        List<ServiceInstance> lost,
        List<Implausible> implausible) {
    public FleetView {
        Objects.requireNonNull(readAt, "readAt");
        live = List.copyOf(live);
        closed = List.copyOf(closed);
        lost = List.copyOf(lost);
        implausible = List.copyOf(implausible);
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
     * Why {@code entry} cannot be taken as written by its instance, whose key was {@code key} when
     * the caller first saw it ({@code null}: it was unsigned then), or {@code null} if it can. Any
     * holder of the service role can write any presence entry, but not sign with another instance's
     * key: an entry that is unsigned, or signed by another key than the one held, is not its
     * instance's word and must not confirm anything.
     */
    public static String unverified(ServiceInstance entry, String key) {
        if (entry.signingKey() == null) {
            return "unsigned entry (a source older than signed presence, or written by another hand)";
        }
        if (key == null) {
            return "unsigned when first seen and signed now: cannot tell it from another writer's";
        }
        return Objects.equals(entry.signingKey(), key) ? null : "signed by another key than when first seen";
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
