package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagGenerator;
import io.flagstore.core.model.FlagValidator;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Rule;
import io.flagstore.core.model.Segment;
import io.flagstore.core.model.Serve;
import io.flagstore.redis.internal.ChangeMessage;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.RandomWrites;
import io.flagstore.redis.testing.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random single writes and batches over a small key space (seeded; the seed is in every failure
 * message) keep the layout's invariants: one version per write, index score == hash version,
 * consecutive messages, Redis == the model the test keeps.
 */
class FlagAdminRandomizedIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private static final List<String> FLAG_KEYS = List.of("f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7");
    private static final List<String> SEGMENT_KEYS = List.of("s0", "s1", "s2");
    private static final int WRITES = 120;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 7L, 20261125L})
    void randomWritesKeepTheInvariants(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        FlagGenerator generator = new FlagGenerator(seed);
        RedisOptions options = RedisOptions.builder()
                .uri(redis.uri())
                .namespace(redis.uniqueNamespace())
                .build();
        KeySchema keys = KeySchema.of(options.namespace());
        Map<String, Flag> flags = new TreeMap<>();
        Map<String, Segment> segments = new TreeMap<>();
        Map<String, Long> versions = new TreeMap<>();
        List<String> messages = new CopyOnWriteArrayList<>();
        RedisClient client = RedisClient.create(redis.uri());
        try (FlagAdmin admin = FlagAdmin.connect(options);
                StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub()) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    messages.add(message);
                }
            });
            sub.sync().subscribe(keys.changes());

            for (int write = 1; write <= WRITES; write++) {
                Batch.Builder batch = Batch.builder();
                Map<String, Flag> nextFlags = new TreeMap<>(flags);
                Map<String, Segment> nextSegments = new TreeMap<>(segments);
                int items = random.nextInt(4) == 0 ? 1 + random.nextInt(4) : 1;
                List<String> used = new ArrayList<>();
                while (used.size() < items) {
                    boolean segment = random.nextInt(5) == 0;
                    String key = segment
                            ? SEGMENT_KEYS.get(random.nextInt(SEGMENT_KEYS.size()))
                            : FLAG_KEYS.get(random.nextInt(FLAG_KEYS.size()));
                    if (used.contains(key)) {
                        continue;
                    }
                    used.add(key);
                    boolean delete = random.nextInt(3) == 0 && (segment ? segments : flags).containsKey(key);
                    if (segment && delete) {
                        batch.deleteSegment(key);
                        nextSegments.remove(key);
                    } else if (segment) {
                        Segment s = RandomWrites.rekey(generator.segment(), key);
                        batch.putSegment(s);
                        nextSegments.put(key, s);
                    } else if (delete) {
                        batch.delete(key, versions.get(key));
                        nextFlags.remove(key);
                    } else {
                        Flag f = RandomWrites.rekey(generator.flag(), key);
                        batch.put(f);
                        nextFlags.put(key, f);
                    }
                }
                WriteResult result = admin.apply(batch.build(), WriteOptions.defaults());

                String context = "seed " + seed + ", write " + write;
                assertThat(result.version()).as(context).isEqualTo(write);
                for (String k : used) {
                    versions.put(k, result.version());
                }
                flags = nextFlags;
                segments = nextSegments;
            }

            String context = "seed " + seed;
            assertThat(redis.execute("GET", keys.version())).as(context).isEqualTo(Integer.toString(WRITES));
            assertThat(redis.execute("XLEN", keys.audit())).as(context).isEqualTo((long) WRITES);
            List<?> index = (List<?>) redis.execute("ZRANGE", keys.flags(), "0", "-1", "WITHSCORES");
            for (int i = 0; i < index.size(); i += 2) {
                String key = (String) index.get(i);
                assertThat(redis.execute("HGET", keys.flag(key), "version"))
                        .as("%s: score of %s equals its hash version", context, key)
                        .isEqualTo(index.get(i + 1));
            }
            assertThat(admin.list()).as(context).extracting(Flag::key).containsExactlyElementsOf(flags.keySet());
            for (Flag stored : admin.list()) {
                assertThat(unstamped(stored)).as(context).isEqualTo(unstamped(flags.get(stored.key())));
                assertThat(stored.version()).as(context).isEqualTo(versions.get(stored.key()));
            }
            for (Segment stored : admin.segments()) {
                assertThat(stored.withVersion(0, null))
                        .as(context)
                        .isEqualTo(segments.get(stored.key()).withVersion(0, null));
                assertThat(stored.version()).as(context).isEqualTo(versions.get(stored.key()));
            }
            assertThat(admin.segments())
                    .as(context)
                    .extracting(Segment::key)
                    .containsExactlyElementsOf(segments.keySet());
            List<?> deleted = (List<?>) redis.execute("ZRANGE", keys.deleted(), "0", "-1");
            for (Object member : deleted) {
                String m = (String) member;
                String hash = m.startsWith("segment:") ? keys.segment(m.substring(8)) : keys.flag(m);
                assertThat(redis.execute("EXISTS", hash))
                        .as("%s: %s deleted", context, m)
                        .isEqualTo(0L);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> messages.size() == WRITES);
            for (int i = 0; i < WRITES; i++) {
                assertThat(ChangeMessage.decode(messages.get(i)).version())
                        .as("%s: messages are consecutive", context)
                        .isEqualTo(i + 1);
            }
        } finally {
            client.shutdown();
        }
    }

    /**
     * Rule-only updates read just the segments they name; their verdict (and the problems listed)
     * must be the one the whole-set check gives, also with pre-existing broken references (a
     * removed segment, an unreadable one, one that never existed).
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3L, 11L, 20261203L})
    void ruleChangesAreRefusedExactlyWhenTheWholeSetCheckWould(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        RedisOptions options = RedisOptions.builder()
                .uri(redis.uri())
                .namespace(redis.uniqueNamespace())
                .build();
        KeySchema keys = KeySchema.of(options.namespace());
        List<String> named = List.of("s0", "s1", "s2", "never");
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            for (String s : SEGMENT_KEYS) {
                admin.putSegment(
                        new Segment(s, "d", List.of("u"), List.of(), List.of(), null, 0), WriteOptions.defaults());
            }
            for (String f : FLAG_KEYS) {
                admin.create(
                        withRule(Flag.killSwitch(f), List.of(SEGMENT_KEYS.get(random.nextInt(SEGMENT_KEYS.size())))));
            }
            redis.execute("DEL", keys.segment("s2"));
            redis.execute("ZREM", keys.segments(), "s2"); // gone: its references are now broken
            redis.execute("DEL", keys.segment("s1"));
            redis.execute("SET", keys.segment("s1"), "not a hash"); // indexed but unreadable

            int refused = 0;
            for (int write = 1; write <= 60; write++) {
                String key = FLAG_KEYS.get(random.nextInt(FLAG_KEYS.size()));
                List<String> segments = new ArrayList<>();
                for (int n = 1 + random.nextInt(2); n > 0; n--) {
                    segments.add(named.get(random.nextInt(named.size())));
                }
                Flag changed = withRule(admin.get(key).orElseThrow(), segments);
                Map<String, Flag> before = new TreeMap<>();
                admin.list().forEach(f -> before.put(f.key(), f));
                Map<String, Segment> stored = new TreeMap<>();
                admin.segments().forEach(seg -> stored.put(seg.key(), seg));
                Map<String, Flag> after = new TreeMap<>(before);
                after.put(key, changed);
                List<String> existing = FlagValidator.problemsInSet(before, stored);
                List<String> introduced = FlagValidator.problemsInSet(after, stored).stream()
                        .filter(p -> !existing.contains(p))
                        .toList();
                String at = "seed " + seed + ", write " + write + ": " + key + " -> " + segments;
                try {
                    admin.update(changed);
                    assertThat(introduced).as(at + " was accepted").isEmpty();
                    assertThat(admin.get(key).orElseThrow().rules()).as(at).isEqualTo(changed.rules());
                } catch (InvalidFlagException e) {
                    refused++;
                    assertThat(e.problems()).as(at + " was refused").containsExactlyElementsOf(introduced);
                }
            }
            assertThat(refused)
                    .as("seed " + seed + ": some writes refused, some accepted")
                    .isBetween(1, 59);
        }
    }

    /** {@code flag} with one rule whose clause is in any of {@code segments}. */
    private static Flag withRule(Flag flag, List<String> segments) {
        Clause clause = new Clause(
                "key",
                Operator.IN_SEGMENT,
                segments.stream().<JsonNode>map(TextNode::valueOf).toList(),
                false);
        return flag.toBuilder()
                .version(0)
                .rules(List.of(new Rule("r", null, List.of(clause), Serve.variant(Flag.ON))))
                .build();
    }

    private static Flag unstamped(Flag f) {
        return f.toBuilder()
                .version(0)
                .updatedAt(null)
                .updatedBy(null)
                .createdAt(null)
                .build();
    }
}
