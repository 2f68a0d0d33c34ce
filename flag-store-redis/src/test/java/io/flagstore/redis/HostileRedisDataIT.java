package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.ClientState;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.FlagValidator;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.internal.ChangeMessage;
import io.flagstore.redis.testing.RecordingSink;
import io.flagstore.redis.testing.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Raw garbage in Redis (docs/operations.md, "Hostile input"): flag hashes edited into nonsense and
 * forged or broken messages on the change channel, while a {@link FlagClient} on a {@link
 * RedisFlagSource} runs. The client keeps the last good definition of every damaged flag, never
 * stops, and a valid write afterwards still arrives. Seeded; failures name the seed.
 */
class HostileRedisDataIT {
    private static final long SEED = Long.getLong("flagstore.fuzz.seed", 0x20261125L);
    private static final EvaluationContext CTX = EvaluationContext.of("user-1");

    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    /** Field edits no reader may accept: each makes the flag invalid. */
    private static final List<String[]> INVALID_EDITS = List.of(
            new String[] {"enabled", "maybe"},
            new String[] {"enabled", ""},
            new String[] {"type", "bogus"},
            new String[] {"variants", "{not json"},
            new String[] {"variants", "[]"},
            new String[] {"variants", "{\"on\":\"yes\",\"off\":false}"},
            new String[] {"variants", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["},
            new String[] {"offVariant", "no-such-variant-\uD83D\uDE00"},
            new String[] {"fallthrough", "{"},
            new String[] {"fallthrough", "{\"rollout\":[{\"variant\":\"on\",\"weight\":1e400}]}"},
            new String[] {"rules", "[{\"clauses\":[]}]"},
            new String[] {"rules", "{\"a\":1}"},
            new String[] {"targets", "{\"nope\":[\"a\"]}"},
            new String[] {"tags", "[1,2"},
            new String[] {"key", "Bad Key\u0000"},
            new String[] {"expiresAt", "yesterday"},
            new String[] {"version", "-5"});

    private SourceFixture fixture;
    private FlagClient client;
    private SplittableRandom random;

    @BeforeEach
    void start() {
        fixture = new SourceFixture(redis);
        random = new SplittableRandom(SEED);
        fixture.admin().create(Flag.killSwitch("payments-api"));
        fixture.admin().create(Flag.killSwitch("checkout"));
        client = FlagClient.builder()
                .source(fixture.build(b -> b.reconcileInterval(Duration.ofMillis(200))))
                .build();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.health().state() == ClientState.READY);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        fixture.close();
    }

    @Test
    void garbageInFlagHashesAndOnTheChannelKeepsTheLastGoodStateAndValidWritesStillArrive() {
        for (int i = 0; i < 120; i++) {
            String where = "seed " + SEED + ", step " + i;
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    // an invalid edit that catch-up will fetch (version and index bumped, no message)
                    String[] edit = INVALID_EDITS.get(random.nextInt(INVALID_EDITS.size()));
                    String key = random.nextBoolean() ? "payments-api" : "checkout";
                    fixture.raw.editField(key, edit[0], edit[1]);
                    fixture.raw.touchWithoutPublishing(key);
                }
                case 2 -> {
                    // random bytes in a random field of a third flag: valid or not, never held if invalid
                    fixture.raw.editField("scratch", randomField(), randomText(200));
                    fixture.raw.touchWithoutPublishing("scratch");
                }
                default -> fixture.raw.publish(garbageMessage());
            }
            assertThat(client.boolValue("payments-api", CTX, false))
                    .as(where + ": last good payments-api")
                    .isTrue();
            assertThat(client.boolValue("checkout", CTX, false))
                    .as(where + ": last good checkout")
                    .isTrue();
        }
        long head = RedisTruth.version(redis, fixture.namespace);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(client.health().appliedVersion())
                        .as("seed " + SEED + ": caught up past the garbage")
                        .isEqualTo(head));
        assertThat(client.snapshot().flags().values())
                .as("seed " + SEED + ": every held flag is valid")
                .allSatisfy(f -> assertThat(FlagValidator.problems(f)).isEmpty());

        // the repair: a definition from scratch replaces the broken hash; a new flag arrives too
        fixture.admin().update(Flag.booleanFlag("payments-api").enabled(false).build());
        long written = fixture.admin().create(Flag.killSwitch("after-storm")).version();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(client.boolValue("payments-api", CTX, true)).isFalse();
            assertThat(client.boolValue("after-storm", CTX, false)).isTrue();
            assertThat(client.health().appliedVersion()).isEqualTo(written);
        });
        assertThat(client.health().state()).as("seed " + SEED).isEqualTo(ClientState.READY);
        assertThat(fixture.errors("message"))
                .as("garbage messages were counted")
                .isPositive();
        assertThat(fixture.errors("flag")).as("corrupt hashes were counted").isPositive();
    }

    @Test
    void aForgedMessageFromTheFutureCausesOneCatchUpNotAStorm() {
        long held = client.health().appliedVersion();
        String epoch = (String) redis.execute("HGET", fixture.raw.keys().meta(), "epoch");
        fixture.raw.publish(ChangeMessage.header(held + 1_000, epoch, System.currentTimeMillis())
                + ChangeMessage.body("update", "mallory", List.of(), List.of(), List.of(), List.of()));
        await().atMost(Duration.ofSeconds(5)).until(() -> fixture.count("flagstore.source.catchups") >= 1);
        double afterForgery = fixture.count("flagstore.source.catchups");

        long written = fixture.admin().disable("checkout").version();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(client.health().appliedVersion()).isEqualTo(written));
        // an observation window (three reconcile intervals), not a wait for a result: a storm shows as hundreds
        await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(fixture.count("flagstore.source.catchups") - afterForgery)
                .as("catch-ups after the forgery")
                .isLessThan(10);
        assertThat(client.boolValue("checkout", CTX, true)).isFalse();
    }

    @Test
    void aForgedNextVersionWithTheRealEpochIsOnlyAHintAndNeverServed() {
        RecordingSink other = fixture.start(SourceFixture.NEVER);
        await().until(() -> other.state() == SourceState.VALID);
        long held = client.health().appliedVersion();
        double catchUps = fixture.count("flagstore.source.catchups");
        String epoch = (String) redis.execute("HGET", fixture.raw.keys().meta(), "epoch");
        Flag forged = Flag.killSwitch("payments-api").withEnabled(false);

        // well-formed, the next version, the real epoch: exactly what the write script would publish
        fixture.raw.publish(ChangeMessage.header(held + 1, epoch, System.currentTimeMillis())
                + ChangeMessage.body(
                        "update", "mallory", List.of(FlagJson.toTree(forged)), List.of(), List.of(), List.of()));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> fixture.count("flagstore.source.catchups") >= catchUps + 2); // both sources read
        assertThat(client.boolValue("payments-api", CTX, false))
                .as("the forged definition")
                .isTrue();
        assertThat(other.flag("payments-api").enabled()).isTrue();
        assertThat(client.health().appliedVersion()).isEqualTo(held);

        // the real next write takes the forged version number; what it wrote arrives, the forgery never does
        long written = fixture.admin().disable("checkout").version();
        assertThat(written).isEqualTo(held + 1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(client.health().appliedVersion()).isEqualTo(written);
            assertThat(other.version()).isEqualTo(written);
        });
        assertThat(client.boolValue("checkout", CTX, true)).isFalse();
        assertThat(client.boolValue("payments-api", CTX, false)).isTrue();
        assertThat(other.flags()).isEqualTo(RedisTruth.flags(redis, fixture.namespace));
    }

    @Test
    void aKeyOfTheWrongTypeIsOneCorruptFlagAndTheRestOfTheNamespaceLoads() {
        // a hand-made string where a flag hash belongs, listed in the index like a write (no message)
        fixture.raw.touchWithoutPublishing("payments-api");
        redis.execute("DEL", fixture.raw.keys().flag("payments-api"));
        redis.execute("SET", fixture.raw.keys().flag("payments-api"), "oops");
        long written = fixture.admin().disable("checkout").version();

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(client.health().appliedVersion()).isEqualTo(written));
        assertThat(client.health().state()).isEqualTo(ClientState.READY);
        assertThat(client.boolValue("checkout", CTX, true)).isFalse();
        assertThat(client.boolValue("payments-api", CTX, false))
                .as("last good definition kept")
                .isTrue();
        assertThat(fixture.errors("flag")).isPositive();

        // a new service starts with every other flag
        fixture.admin().create(Flag.killSwitch("after"));
        RecordingSink fresh = fixture.start(SourceFixture.NEVER);
        await().atMost(Duration.ofSeconds(5)).until(() -> fresh.state() == SourceState.VALID);
        assertThat(fresh.flags()).containsOnlyKeys("checkout", "after");
        assertThat(fixture.meters
                        .get("flagstore.source.corrupt")
                        .tag("namespace", fixture.namespace)
                        .gauge()
                        .value())
                .isEqualTo(1);

        // a hash written over it repairs it: served again, no longer counted
        fixture.raw.put(Flag.killSwitch("payments-api").withEnabled(false), true);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(fresh.flag("payments-api")).extracting(Flag::enabled).isEqualTo(false);
            assertThat(client.boolValue("payments-api", CTX, true)).isFalse();
            assertThat(fixture.meters
                            .get("flagstore.source.corrupt")
                            .tag("namespace", fixture.namespace)
                            .gauge()
                            .value())
                    .isZero();
        });
    }

    private String randomField() {
        String[] fields = {
            "key",
            "type",
            "enabled",
            "variants",
            "offVariant",
            "fallthrough",
            "rules",
            "targets",
            "tags",
            "salt",
            "description",
            "version",
            "updatedAt",
            "createdAt",
            "prerequisites",
            "\u0000",
            "😀"
        };
        return fields[random.nextInt(fields.length)];
    }

    private String randomText(int maxBytes) {
        byte[] bytes = new byte[random.nextInt(maxBytes)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Something on the channel that is not a change a writer made. */
    private String garbageMessage() {
        long held = client.health().appliedVersion();
        String epoch = (String) redis.execute("HGET", fixture.raw.keys().meta(), "epoch");
        String header = ChangeMessage.header(held + 1, epoch, System.currentTimeMillis());
        String valid = header
                + ChangeMessage.body(
                        "update",
                        "mallory",
                        List.of(FlagJson.toTree(Flag.killSwitch("payments-api"))),
                        List.of(),
                        List.of(),
                        List.of());
        return switch (random.nextInt(8)) {
            case 0 -> randomText(500);
            case 1 -> valid.substring(0, random.nextInt(valid.length()));
            case 2 -> header + "\"flags\":[{\"key\":\"payments-api\",\"enabled\":\"maybe\"}],\"deleted\":[]}";
            case 3 -> header + "\"flags\":{\"key\":1},\"deleted\":\"payments-api\"}";
            case 4 -> "{\"v\":\"" + "9".repeat(5_000) + "\",\"epoch\":null}";
            case 5 -> "[".repeat(100_000);
            case 6 -> header + "\"flags\":[{\"key\":\"payments-api\",\"type\":\"boolean\",\"variants\":{\"on\":true},"
                    + "\"offVariant\":\"gone\"}],\"deleted\":[],\"segments\":[],\"deletedSegments\":[]}";
            default -> "{\"v\":-1,\"epoch\":\"" + epoch + "\",\"ts\":0,\"op\":\"update\",\"flags\":[],\"deleted\":["
                    + "\"payments-api\"],\"segments\":[],\"deletedSegments\":[]}";
        };
    }
}
