package io.flagstore.redis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.Segment;
import io.flagstore.core.spi.FlagUpdate;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;

/**
 * The namespace's audit stream, followed with a blocking {@code XREAD} on a connection of its own:
 * the write script appends one entry per write, in the same atomic step as the hashes, with every
 * definition after the write. An entry is data read from Redis (not a message anyone may publish),
 * so the next version can be applied from it as fast as a push arrives, without a read first;
 * {@link SyncDecider} still confirms what was applied this way with a read shortly after.
 *
 * <p>The replies are queued for the updater thread ({@link Entries}, or {@link Stopped} when the
 * read failed: a dropped connection, or an ACL without {@code XREAD}); the updater asks for the next
 * ones with {@link #next}. After a failed read the next one waits for a backoff; once Redis refused
 * {@code XREAD}, the feed is not read again and each change message is confirmed by a read before it
 * is applied. Opened, advanced and closed by the updater thread only.
 */
final class AuditFeed {
    /** Entries after the last one read (empty when the block timed out). */
    record Entries(List<StreamMessage<String, String>> entries) {}

    /** The read failed; {@code denied} when Redis refused the command itself (an ACL), which will not change. */
    record Stopped(String why, boolean denied) {}

    /** A write as its audit entry records it. */
    record Write(long version, String op, FlagUpdate update) {}

    private static final System.Logger LOG = SourceLog.LOG;

    private final String key;
    private final Queue<Object> events;
    private final long blockMillis;
    private final Backoff retry;
    private RedisConnections.Commands connection;
    private String lastId = "$";
    private boolean reading;
    private boolean denied;
    private long retryAtNanos;

    /** {@code retry} spaces the reads after failed ones. */
    AuditFeed(String key, Queue<Object> events, Duration commandTimeout, Backoff retry) {
        this.key = key;
        this.events = events;
        this.blockMillis = Math.max(1, commandTimeout.toMillis() / 2); // a blocked read must not time out
        this.retry = retry;
    }

    /**
     * When the next read is due (nanos; {@link Long#MAX_VALUE}: not by time, since one is outstanding
     * or Redis refused the command).
     */
    long dueNanos() {
        return denied || reading ? Long.MAX_VALUE : retryAtNanos;
    }

    /**
     * Opens the connection if needed and reads from where it left off (at first: entries from now
     * on), unless a read is outstanding or not due; returns whether it started one.
     */
    boolean next(RedisConnections client) {
        if (denied || reading || System.nanoTime() < retryAtNanos) {
            return false;
        }
        if (connection == null) {
            connection = client.connect();
        }
        reading = true;
        connection
                .async()
                .xread(XReadArgs.Builder.block(blockMillis).count(100), XReadArgs.StreamOffset.from(key, lastId))
                .whenComplete((entries, failure) -> {
                    if (failure == null) {
                        events.add(new Entries(entries == null ? List.of() : entries));
                    } else {
                        String text = String.valueOf(failure.getMessage());
                        events.add(
                                new Stopped(text, text.startsWith("NOPERM") || text.startsWith("ERR unknown command")));
                    }
                });
        return true;
    }

    /** Called by the updater for each reply: the next read starts after the last entry. */
    void received(Entries entries) {
        reading = false;
        if (!entries.entries().isEmpty()) {
            lastId = entries.entries().get(entries.entries().size() - 1).getId();
        }
    }

    /** Called by the updater when a read failed: a refusal is final, anything else is retried later. */
    void stopped(Stopped stopped) {
        reading = false;
        if (stopped.denied()) {
            denied = true;
            LOG.log(
                    System.Logger.Level.INFO,
                    "Redis refuses XREAD on " + key + " (" + stopped.why() + "): each change message is"
                            + " confirmed by a read before it is applied (docs/operations.md, \"Access control\")");
        } else {
            retryAtNanos = System.nanoTime() + retry.nextNanos();
        }
    }

    void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    /**
     * The write an entry records, or {@code null} when it records none (a scheduling entry) or cannot
     * be read: such an entry is left to the reads that messages and the periodic check cause.
     */
    static Write write(StreamMessage<String, String> entry) {
        Map<String, String> body = entry.getBody();
        try {
            long version = Long.parseLong(body.getOrDefault("version", "0"));
            if (version < 1) {
                return null;
            }
            Instant at = Instant.ofEpochMilli(Long.parseLong(body.get("ts")));
            String actor = body.get("actor");
            List<Flag> flags = new ArrayList<>();
            Set<String> written = new HashSet<>();
            for (JsonNode tree : Json.TREES.readTree(body.getOrDefault("after", "[]"))) {
                Flag flag = FlagJson.fromTree(tree).withVersion(version, at, actor);
                flags.add(flag);
                written.add(flag.key());
            }
            List<Segment> segments = new ArrayList<>();
            for (JsonNode tree : Json.TREES.readTree(body.getOrDefault("afterSegments", "[]"))) {
                Segment segment = FlagJson.segmentFromTree(tree).withVersion(version, at);
                segments.add(segment);
                written.add(KeySchema.DELETED_SEGMENT_PREFIX + segment.key());
            }
            List<String> deleted = new ArrayList<>();
            List<String> deletedSegments = new ArrayList<>();
            String keys = body.getOrDefault("keys", "");
            for (String member : keys.isEmpty() ? new String[0] : keys.split(",")) {
                if (written.contains(member)) {
                    continue;
                }
                if (member.startsWith(KeySchema.DELETED_SEGMENT_PREFIX)) {
                    deletedSegments.add(member.substring(KeySchema.DELETED_SEGMENT_PREFIX.length()));
                } else {
                    deleted.add(member);
                }
            }
            return new Write(
                    version,
                    body.getOrDefault("op", ""),
                    new FlagUpdate(version, flags, deleted, segments, deletedSegments, at));
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }
}
