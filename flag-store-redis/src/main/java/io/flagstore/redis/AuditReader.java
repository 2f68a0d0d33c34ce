package io.flagstore.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.model.FlagJson;
import io.flagstore.redis.internal.Json;
import io.flagstore.redis.internal.KeySchema;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the audit stream, newest first, a page at a time.
 *
 * <p>Thread-safe.
 */
final class AuditReader {
    private static final System.Logger LOG = System.getLogger(AuditReader.class.getName());
    private static final int PAGE = 200;

    private final AdminRedis redis;
    private final KeySchema keys;

    AuditReader(AdminRedis redis) {
        this.redis = redis;
        this.keys = redis.keys();
    }

    /** The newest {@code limit} entries that wrote {@code key}, or of the namespace when it is null. */
    List<AuditEntry> history(int limit, String key) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
        List<AuditEntry> out = new ArrayList<>();
        String end = "+";
        while (out.size() < limit) {
            String upper = end;
            List<StreamMessage<String, String>> page = redis.call("XREVRANGE", () -> redis.sync()
                    .xrevrange(keys.audit(), Range.create("-", upper), Limit.from(PAGE)));
            for (StreamMessage<String, String> message : page) {
                List<String> entryKeys = Arrays.asList(
                        message.getBody().getOrDefault(KeySchema.AUDIT_KEYS, "").split(","));
                if (out.size() < limit && (key == null || entryKeys.contains(key))) {
                    out.add(entry(message.getId(), entryKeys, message.getBody()));
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            end = previousId(page.get(page.size() - 1).getId());
        }
        return out;
    }

    /** The stream id just below {@code id} ({@code XREVRANGE} bounds are inclusive). */
    private static String previousId(String id) {
        int dash = id.indexOf('-');
        long ms = Long.parseLong(id.substring(0, dash));
        long seq = Long.parseUnsignedLong(id.substring(dash + 1));
        return seq > 0 ? ms + "-" + (seq - 1) : (ms - 1) + "-" + Long.toUnsignedString(-1L);
    }

    private static AuditEntry entry(String id, List<String> entryKeys, Map<String, String> body) {
        long version = parseLong(body.get(KeySchema.AUDIT_VERSION));
        Instant ts = Instant.ofEpochMilli(parseLong(body.get(KeySchema.AUDIT_TS)));
        String reason = body.get(KeySchema.AUDIT_REASON);
        String user = body.get(KeySchema.AUDIT_REDIS_USER);
        return new AuditEntry(
                id,
                version,
                body.get(KeySchema.AUDIT_OP),
                entryKeys,
                body.get(KeySchema.AUDIT_ACTOR),
                reason == null || reason.isEmpty() ? null : reason,
                ts,
                trees(body.get(KeySchema.AUDIT_BEFORE), FlagJson::fromTree),
                trees(body.get(KeySchema.AUDIT_AFTER), FlagJson::fromTree).stream()
                        .map(f -> f.toBuilder().version(version).updatedAt(ts).build())
                        .toList(),
                trees(body.get(KeySchema.AUDIT_BEFORE_SEGMENTS), FlagJson::segmentFromTree),
                trees(body.get(KeySchema.AUDIT_AFTER_SEGMENTS), FlagJson::segmentFromTree).stream()
                        .map(s -> s.withVersion(version, ts))
                        .toList(),
                user == null || user.isEmpty() ? null : user);
    }

    private static <T> List<T> trees(String json, Function<JsonNode, T> reader) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>();
        try {
            for (JsonNode tree : Json.MAPPER.readTree(json)) {
                out.add(reader.apply(tree));
            }
        } catch (JsonProcessingException | InvalidFlagException e) {
            LOG.log(System.Logger.Level.WARNING, "unreadable audit entry part: {0}", e.getMessage());
        }
        return out;
    }

    private static long parseLong(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0; // an entry edited by hand: shown, with version or time 0
        }
    }
}
