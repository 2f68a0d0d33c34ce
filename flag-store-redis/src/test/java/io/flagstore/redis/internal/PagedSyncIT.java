package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.testing.RandomWrites;
import io.flagstore.redis.testing.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A load or catch-up read in pages while writes land between the pages (seeded: the writes run in
 * the page hook, so a seed replays a run) equals one atomic read of everything at the version it
 * reports: the same script with no page limit, run right after (nothing is written after the read's
 * last step).
 */
class PagedSyncIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private static final LuaScript SYNC = LuaScript.load("source-sync.lua");
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(redis.uri());
        connection = client.connect();
    }

    @AfterAll
    static void disconnect() {
        connection.close();
        client.shutdown();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 20261125})
    void aReadInTinyPagesEqualsOneAtomicReadDespiteWritesBetweenPages(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        RedisOptions options = options(redis.uniqueNamespace());
        KeySchema keys = KeySchema.of(options.namespace());
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            RandomWrites writes = new RandomWrites(admin, seed, 30, 5);
            for (int i = 0; i < 60; i++) {
                writes.next();
            }
            boolean full = random.nextBoolean();
            long since = full ? -1 : version(keys);
            for (int i = 0; i < 30; i++) {
                writes.next(); // what a catch-up has to find
            }
            int pageSize = 1 + random.nextInt(3);
            boolean decodeAsRead = random.nextBoolean();
            AtomicInteger between = new AtomicInteger();
            BooleanSupplier writeSometimes = () -> {
                // mostly one write (a refused one is tried again), sometimes none, sometimes several
                for (int n = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(2); n > 0; ) {
                    if (writes.next()) {
                        between.incrementAndGet();
                        n--;
                    }
                }
                return false;
            };

            SyncResult paged = PagedSync.read(connection.sync(), keys, since, pageSize, writeSometimes, decodeAsRead);

            String run = "seed " + seed + " (since " + since + ", pages of " + pageSize + ", " + between
                    + " writes between pages, decoded as read: " + decodeAsRead + ")";
            assertThat(between.get()).as(run).isPositive();
            assertThat(paged).as(run).isNotNull();
            assertSameRead(paged, atomicRead(keys, since), run);
        }
    }

    @Test
    void aNamespaceReplacedWhileReadIsReadAgainInFull() {
        RedisOptions options = options(redis.uniqueNamespace());
        KeySchema keys = KeySchema.of(options.namespace());
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            for (int i = 0; i < 10; i++) {
                admin.create(Flag.killSwitch("old" + i));
            }
            String oldEpoch = (String) redis.execute("HGET", keys.meta(), "epoch");
            AtomicInteger pages = new AtomicInteger();
            BooleanSupplier reseedOnce = () -> {
                if (pages.getAndIncrement() == 0) {
                    admin.forceReseed(
                            new FlagDocument(List.of(Flag.killSwitch("new0"), Flag.killSwitch("new1")), List.of()),
                            WriteOptions.defaults());
                }
                return false;
            };

            SyncResult paged = PagedSync.read(connection.sync(), keys, -1, 2, reseedOnce, false);

            assertThat(paged.epoch()).isNotEqualTo(oldEpoch);
            assertThat(paged.flags()).containsOnlyKeys("new0", "new1");
            assertSameRead(paged, atomicRead(keys, -1), "after a re-seed");
        }
    }

    @Test
    void anAbandonedReadReturnsNothingButOneThatFitsInAPageIsNeverAbandoned() {
        RedisOptions options = options(redis.uniqueNamespace());
        KeySchema keys = KeySchema.of(options.namespace());
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            for (int i = 0; i < 5; i++) {
                admin.create(Flag.killSwitch("k" + i));
            }

            assertThat(PagedSync.read(connection.sync(), keys, -1, 2, () -> true, false))
                    .isNull();
            assertThat(PagedSync.read(connection.sync(), keys, -1, 5, () -> true, false)
                            .flags())
                    .hasSize(5);
        }
    }

    private static RedisOptions options(String namespace) {
        return RedisOptions.builder().uri(redis.uri()).namespace(namespace).build();
    }

    private static long version(KeySchema keys) {
        return Long.parseLong((String) redis.execute("GET", keys.version()));
    }

    /** What the single script returns with no page limit: the whole read, atomically. */
    private static SyncResult atomicRead(KeySchema keys, long since) {
        RedisCommands<String, String> commands = connection.sync();
        List<Object> reply = SYNC.runReadOnly(
                commands,
                ScriptOutputType.MULTI,
                new String[] {keys.version(), keys.meta(), keys.flags(), keys.segments(), keys.deleted()},
                keys.prefix(),
                Long.toString(since),
                Integer.toString(Integer.MAX_VALUE));
        assertThat((List<?>) reply.get(8)).isEmpty();
        return SyncResult.parse(reply);
    }

    private static void assertSameRead(SyncResult paged, SyncResult atomic, String run) {
        assertThat(paged.version()).as("version, %s", run).isEqualTo(atomic.version());
        assertThat(paged.epoch()).as("epoch, %s", run).isEqualTo(atomic.epoch());
        assertThat(paged.origin()).as("origin, %s", run).isEqualTo(atomic.origin());
        assertThat(paged.full()).as("full, %s", run).isEqualTo(atomic.full());
        assertThat(paged.deletedTrimmedTo()).as("trimmed, %s", run).isEqualTo(atomic.deletedTrimmedTo());
        assertThat(decoded(paged.flags(), false)).as("flags, %s", run).isEqualTo(decoded(atomic.flags(), false));
        assertThat(decoded(paged.segments(), true)).as("segments, %s", run).isEqualTo(decoded(atomic.segments(), true));
        assertThat(paged.deletedFlags())
                .as("deleted flags, %s", run)
                .containsExactlyInAnyOrderElementsOf(atomic.deletedFlags());
        assertThat(paged.deletedSegments())
                .as("deleted segments, %s", run)
                .containsExactlyInAnyOrderElementsOf(atomic.deletedSegments());
    }

    /**
     * Each hash as what a source takes from it: the fields the read's checks compare and the
     * definition or why it does not decode, the same whether it was decoded as it was read or now.
     */
    private static Map<String, List<Object>> decoded(Map<String, Map<String, String>> hashes, boolean segment) {
        Map<String, List<Object>> out = new HashMap<>();
        hashes.forEach((key, hash) -> {
            Map<String, String> d = hash instanceof SyncResult.Decoded ? hash : HashDecoder.decodeNow(hash, segment);
            Object item;
            try {
                item = d instanceof SyncResult.Decoded decodedHash ? decodedHash.item() : d;
            } catch (IllegalArgumentException e) {
                item = "corrupt: " + e.getMessage();
            }
            out.put(key, java.util.Arrays.asList(d.get("version"), d.get("updatedAt"), item));
        });
        return out;
    }
}
