package io.flagstore.redis;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import io.flagstore.redis.internal.KeySchema;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.sync.RedisKeyCommands;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Lists the namespaces of a Redis and drops one: the parts of {@link FlagAdmin} that span namespaces. */
final class Namespaces {
    private static final int SCAN_COUNT = 1000;
    private static final Pattern VERSION_KEY = Pattern.compile("flagstore:\\{(.+)\\}:version");

    private final AdminRedis redis;

    Namespaces(AdminRedis redis) {
        this.redis = redis;
    }

    /** Every namespace holding a version key, by name (SCAN, so Redis is never blocked). */
    List<NamespaceSummary> list() {
        List<NamespaceSummary> found = new ArrayList<>();
        scan("flagstore:{*}:version", key -> {
            Matcher m = VERSION_KEY.matcher(key);
            if (m.matches() && KeySchema.NAMESPACE_PATTERN.matcher(m.group(1)).matches()) {
                KeySchema keys = KeySchema.of(m.group(1));
                found.add(new NamespaceSummary(
                        keys.namespace(),
                        parseVersion(redis.sync().get(keys.version())),
                        redis.sync().zcard(keys.flags()),
                        redis.sync().zcard(keys.segments())));
            }
        });
        found.sort(Comparator.comparing(NamespaceSummary::name));
        return found;
    }

    /**
     * Deletes every flag and segment in one audited write, then removes every other key of the
     * namespace but its audit stream, which keeps the history and the deletion with its reason.
     * Each step is safe to repeat, so a drop cut short is finished by running it again.
     */
    NamespaceDropResult drop(FlagAdmin admin, WriteOptions options) {
        NamespaceContents contents = admin.contents();
        List<String> flags =
                new ArrayList<>(contents.flags().stream().map(Flag::key).toList());
        List<String> segments =
                new ArrayList<>(contents.segments().stream().map(Segment::key).toList());
        contents.corrupt().forEach(c -> (c.kind().equals("flag") ? flags : segments).add(c.key()));
        Optional<WriteResult> deletion = Optional.empty();
        if (!flags.isEmpty() || !segments.isEmpty()) {
            Batch.Builder everything = Batch.builder();
            flags.forEach(everything::delete);
            segments.forEach(everything::deleteSegment);
            deletion = Optional.of(admin.apply(everything.build(), options));
        }
        KeySchema keys = redis.keys();
        List<String> rest = new ArrayList<>();
        scan(keys.prefix() + "*", key -> {
            if (!key.equals(keys.audit())) {
                rest.add(key);
            }
        });
        // the version key last: while it stands, a re-run still lists the namespace as there
        rest.remove(keys.version());
        rest.add(keys.version());
        long removed = 0;
        for (String key : rest) {
            removed += redis.sync().unlink(key);
        }
        return new NamespaceDropResult(deletion, removed);
    }

    private void scan(String pattern, Consumer<String> each) {
        RedisKeyCommands<String, String> commands = redis.sync();
        ScanArgs args = ScanArgs.Builder.matches(pattern).limit(SCAN_COUNT);
        KeyScanCursor<String> cursor = commands.scan(args);
        while (true) {
            cursor.getKeys().forEach(each);
            if (cursor.isFinished()) {
                return;
            }
            // the cursor object itself: in a cluster it carries which node the scan has reached
            cursor = commands.scan(cursor, args);
        }
    }

    private static long parseVersion(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
