package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.VersionConflictException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagGenerator;
import io.flagstore.redis.internal.ChangeMessage;
import io.flagstore.redis.internal.FlagHashCodec;
import io.flagstore.redis.internal.HashChecksum;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.RandomWrites;
import io.flagstore.redis.testing.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code enable}/{@code disable} in one script call: the script reads the flag, checks its
 * checksum and writes it with {@code enabled} and {@code updatedBy} replaced. What it stores, audits
 * and publishes must be what the read-modify-write in Java stores for the same change (random flags,
 * seeded; the seed is in every failure message), and anything unusual must take that way instead.
 */
class SwitchScriptIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {2L, 29L, 20261204L})
    void aSwitchStoresAuditsAndPublishesWhatTheReadModifyWriteWould(long seed) {
        FlagGenerator generator = new FlagGenerator(seed);
        RedisOptions fastOptions = options();
        RedisOptions slowOptions = options();
        KeySchema fastKeys = KeySchema.of(fastOptions.namespace());
        KeySchema slowKeys = KeySchema.of(slowOptions.namespace());
        List<String> messages = new CopyOnWriteArrayList<>();
        RedisClient client = RedisClient.create(redis.uri());
        try (FlagAdmin fast = FlagAdmin.connect(fastOptions);
                FlagAdmin slow = FlagAdmin.connect(slowOptions);
                StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub()) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    messages.add(message);
                }
            });
            sub.sync().subscribe(fastKeys.changes());
            for (int i = 0; i < 10; i++) {
                String context = "seed " + seed + ", flag " + i;
                Flag flag = RandomWrites.rekey(generator.flag(), "f" + i).toBuilder()
                        .prerequisites(List.of())
                        .rules(List.of())
                        .experiment(null)
                        .build();
                fast.create(flag);
                slow.create(flag);
                boolean enabled = !flag.enabled();
                WriteOptions options =
                        WriteOptions.defaults().withActor("oncall-" + i).withReason("why " + i);
                WriteResult result = enabled ? fast.enable(flag.key(), options) : fast.disable(flag.key(), options);
                slow.modify(flag.key(), f -> f.withEnabled(enabled), options);

                Map<String, String> fastHash = hash(fastKeys.flag(flag.key()));
                Map<String, String> slowHash = hash(slowKeys.flag(flag.key()));
                assertThat(fastHash.get("enabled")).as(context).isEqualTo(Boolean.toString(enabled));
                assertThat(fastHash.get("updatedBy")).as(context).isEqualTo("oncall-" + i);
                assertThat(fastHash.get(HashChecksum.FIELD))
                        .as(context + ": the script's checksum is Java's")
                        .isEqualTo(HashChecksum.of(fastHash));
                assertThat(withoutStamps(fastHash)).as(context).isEqualTo(withoutStamps(slowHash));

                AuditEntry fastEntry = fast.history(flag.key(), 1).get(0);
                AuditEntry slowEntry = slow.history(flag.key(), 1).get(0);
                assertThat(fastEntry.op()).as(context).isEqualTo(enabled ? "enable" : "disable");
                assertThat(fastEntry.version()).as(context).isEqualTo(result.version());
                assertThat(fastEntry.reason()).as(context).isEqualTo("why " + i);
                assertThat(fastEntry.before().stream().map(SwitchScriptIT::unstamped))
                        .as(context)
                        .containsExactlyElementsOf(slowEntry.before().stream()
                                .map(SwitchScriptIT::unstamped)
                                .toList());
                assertThat(fastEntry.after().stream().map(SwitchScriptIT::unstamped))
                        .as(context)
                        .containsExactlyElementsOf(slowEntry.after().stream()
                                .map(SwitchScriptIT::unstamped)
                                .toList());
                assertThat(fast.get(flag.key()).orElseThrow())
                        .as(context)
                        .isEqualTo(fastEntry.after().get(0));
            }
            assertThat(fast.verify())
                    .as("seed " + seed + ": every hash as its write left it")
                    .isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> messages.size() == 20); // a create, a switch
            for (int i = 1; i < messages.size(); i += 2) {
                ChangeMessage decoded = ChangeMessage.decode(messages.get(i));
                assertThat(decoded.flags()).as("seed " + seed).hasSize(1);
                assertThat(decoded.flags().get(0).get("updatedBy").asText())
                        .as("seed " + seed)
                        .isEqualTo("oncall-" + i / 2);
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aServiceAppliesASwitchFromTheAuditStream() {
        RedisOptions options = options();
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.killSwitch("payments-api"));
            try (FlagClient client = FlagClient.builder()
                    .source(RedisFlagSource.builder().options(options).build())
                    .build()) {
                EvaluationContext alice = EvaluationContext.of("alice");
                assertThat(client.boolValue("payments-api", alice, false)).isTrue();
                admin.disable("payments-api");
                await().atMost(Duration.ofSeconds(5)).until(() -> !client.boolValue("payments-api", alice, true));
                admin.enable("payments-api");
                await().atMost(Duration.ofSeconds(5)).until(() -> client.boolValue("payments-api", alice, false));
            }
        }
    }

    @Test
    void aHashNotAsAWriteLeftItTakesTheReadModifyWrite() throws Exception {
        RedisOptions options = options();
        KeySchema keys = KeySchema.of(options.namespace());
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.killSwitch("edited"));
            admin.create(Flag.killSwitch("older"));
            redis.execute("HSET", keys.flag("edited"), "description", "changed by hand");
            Map<String, String> older = hash(keys.flag("older"));
            redis.execute("HSET", keys.flag("older"), HashChecksum.FIELD, earlierChecksum(older));
            assertThat(admin.verify()).extracting(CorruptKey::key).containsExactly("edited");

            for (String key : List.of("edited", "older")) {
                assertThatThrownBy(() -> admin.scripts().write(switchOff(key), null, 10_000))
                        .as(key)
                        .isInstanceOf(AdminScripts.SlowPath.class)
                        .hasMessageContaining("changed without a write");
            }
            assertThat(redis.execute("GET", keys.version())).isEqualTo("2");

            admin.disable("edited");
            assertThat(admin.get("edited").orElseThrow().enabled()).isFalse();
            assertThat(admin.get("edited").orElseThrow().description()).isEqualTo("changed by hand");
            admin.disable("older");
            assertThat(admin.get("older").orElseThrow().enabled()).isFalse();
            assertThat(admin.verify())
                    .as("the read-modify-write stored fresh checksums")
                    .isEmpty();
        }
    }

    @Test
    void aCorruptHashWithAMatchingChecksumIsStillRefused() {
        RedisOptions options = options();
        KeySchema keys = KeySchema.of(options.namespace());
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.killSwitch("forged"));
            Map<String, String> hash = hash(keys.flag("forged"));
            hash.put("rules", "[{oops");
            // whoever can write the hash can also write the checksum that matches it
            redis.execute("HSET", keys.flag("forged"), "rules", "[{oops", HashChecksum.FIELD, HashChecksum.of(hash));
            assertThatThrownBy(() -> admin.scripts().write(switchOff("forged"), null, 10_000))
                    .isInstanceOf(AdminScripts.SlowPath.class)
                    .hasMessageContaining("unreadable");
            assertThatThrownBy(() -> admin.disable("forged")).isInstanceOf(InvalidFlagException.class);
            assertThat(redis.execute("GET", keys.version())).isEqualTo("1");
        }
    }

    @Test
    void aMissingOrUnreadableFlagIsReportedAsBefore() {
        RedisOptions options = options();
        KeySchema keys = KeySchema.of(options.namespace());
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.killSwitch("present"));
            assertThatThrownBy(() -> admin.disable("absent")).isInstanceOf(FlagNotFoundException.class);
            redis.execute("DEL", keys.flag("present"));
            redis.execute("SET", keys.flag("present"), "not a hash");
            assertThatThrownBy(() -> admin.disable("present")).isInstanceOf(InvalidFlagException.class);
            assertThat(redis.execute("GET", keys.version())).isEqualTo("1");
        }
    }

    @Test
    void anExpectedVersionIsCheckedInTheScript() {
        RedisOptions options = options();
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            long version = admin.create(Flag.killSwitch("pinned")).version();
            assertThatThrownBy(() ->
                            admin.disable("pinned", WriteOptions.defaults().withExpectedVersion(version + 5)))
                    .isInstanceOf(VersionConflictException.class);
            assertThat(admin.disable("pinned", WriteOptions.defaults().withExpectedVersion(version))
                            .version())
                    .isEqualTo(version + 1);
        }
    }

    private static AdminScripts.Write switchOff(String key) {
        return new AdminScripts.Write(
                "disable",
                "test",
                null,
                AdminScripts.Mode.WRITE,
                List.of(new AdminScripts.Item(
                        false,
                        AdminScripts.Action.SWITCH,
                        key,
                        AdminScripts.ANY_VERSION,
                        FlagHashCodec.fields(
                                JsonNodeFactory.instance.objectNode().put("enabled", false)))),
                key,
                "",
                "",
                "",
                "",
                ChangeMessage.bodyForOneFlag("disable", "test"),
                false,
                null);
    }

    private static RedisOptions options() {
        return RedisOptions.builder()
                .uri(redis.uri())
                .namespace(redis.uniqueNamespace())
                .build();
    }

    private static Map<String, String> hash(String key) {
        Map<String, String> out = new TreeMap<>();
        List<?> flat = (List<?>) redis.execute("HGETALL", key);
        for (int i = 0; i < flat.size(); i += 2) {
            out.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return out;
    }

    /** The fields two namespaces' copies of a flag share: not when or at which version it was written. */
    private static Map<String, String> withoutStamps(Map<String, String> hash) {
        Map<String, String> out = new TreeMap<>(hash);
        List.of("version", "updatedAt", "createdAt", HashChecksum.FIELD).forEach(out::remove);
        return out;
    }

    private static Flag unstamped(Flag flag) {
        return flag.toBuilder().createdAt(null).updatedAt(null).build();
    }

    /** The checksum as hashes written before the switch script carry it: 64 bits of SHA-256. */
    private static String earlierChecksum(Map<String, String> fields) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        new TreeMap<>(fields).forEach((name, value) -> {
            if (!List.of(HashChecksum.FIELD, "version", "updatedAt").contains(name)) {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(value.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
        });
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }
}
