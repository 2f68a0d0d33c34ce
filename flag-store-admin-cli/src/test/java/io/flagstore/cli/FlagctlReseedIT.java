package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.redis.testing.RedisServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The data-loss runbook of docs/operations.md driven through flagctl against a real Redis. */
class FlagctlReseedIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private String namespace;
    private Map<String, String> env;

    @BeforeEach
    void namespace() {
        namespace = redis.uniqueNamespace();
        env = Cli.env(redis.uri(), namespace);
    }

    private Cli.Result run(String... args) {
        return Cli.run(env, Cli.NO_TERMINAL, args);
    }

    private Cli.Result ok(String... args) {
        return Cli.ok(env, args);
    }

    private String key(String suffix) {
        return "flagstore:{" + namespace + "}:" + suffix;
    }

    /** What Redis restarted without persistence leaves of the namespace: nothing. */
    private void loseNamespace() {
        List<?> keys = (List<?>) redis.execute("KEYS", key("*"));
        keys.forEach(k -> redis.execute("DEL", (String) k));
    }

    /** A live service instance reporting {@code version} (as its heartbeat does after the loss). */
    private void liveInstance(String id, long version) {
        long now = System.currentTimeMillis();
        redis.execute(
                "HSET",
                key("clients"),
                id,
                "{\"service\":\"checkout\",\"instance\":\"" + id + "\",\"appliedVersion\":" + version
                        + ",\"heartbeat\":" + now + ",\"started\":" + now + "}");
    }

    @Test
    void aLostNamespaceRefusesRoutineWritesAndIsRestoredWithApplyReseed(@TempDir Path dir) {
        ok("create", "payments-api");
        ok("create", "checkout-v2");
        ok("disable", "checkout-v2", "--no-wait");
        Path export = dir.resolve("flags.json");
        ok("export", "-o", export.toString());

        loseNamespace();
        liveInstance("checkout-1", 3);
        liveInstance("checkout-2", 3);

        Cli.Result refused = run("create", "x");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.NAMESPACE_RESET);
        assertThat(refused.err())
                .contains("namespace '" + namespace + "' looks reset: 2 live instances hold version 3")
                .contains("hint: restore the namespace first with 'flagctl apply -f BACKUP --reseed'");
        assertThat(redis.execute("EXISTS", key("meta"), key("flag:x"))).isEqualTo(0L);

        Cli.Result dry = ok("apply", "-f", export.toString(), "--reseed", "--dry-run");
        assertThat(dry.out()).contains("plan: 2 to create, 0 to update, 0 to remove", "dry run: nothing written");
        assertThat(redis.execute("EXISTS", key("meta"))).isEqualTo(0L);

        Cli.Result seeded = ok("apply", "-f", export.toString(), "--reseed", "--reason", "INC-9");
        assertThat(seeded.out()).contains("re-seeded namespace '" + namespace + "' with 2 items");

        JsonNode status = ok("status", "--json").json();
        assertThat(status.get("origin").asText()).isEqualTo("seed");
        assertThat(status.get("version").asLong()).isEqualTo(4); // above the version services hold
        assertThat(ok("get", "checkout-v2", "--json")
                        .json()
                        .get("flag")
                        .get("enabled")
                        .asBoolean())
                .isFalse();
        assertThat(ok("history", "--json")
                        .json()
                        .get("entries")
                        .get(0)
                        .get("op")
                        .asText())
                .isEqualTo("reseed");
        ok("create", "x"); // the namespace is back: routine writes work again
    }

    @Test
    void reseedIntoANamespaceWithDataNeedsForceWhichReplacesEverything(@TempDir Path dir) throws IOException {
        ok("create", "a");
        ok("create", "b");
        Path export = dir.resolve("flags.json");
        ok("export", "-o", export.toString());
        loseNamespace();
        ok("create", "written-after-the-loss"); // no live instance: nothing to protect, allowed

        Cli.Result refused = run("apply", "-f", export.toString(), "--reseed");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(refused.err()).contains("is not empty", "--reseed --force");

        Cli.Result usage = run("apply", "-f", export.toString(), "--force");
        assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.err()).contains("--force only applies to --reseed");

        JsonNode forced = ok("apply", "-f", export.toString(), "--reseed", "--force", "--json")
                .json();
        assertThat(forced.get("reseed").asBoolean()).isTrue();
        assertThat(forced.get("changes"))
                .extracting(n -> n.get("key").asText() + "=" + n.get("action").asText())
                .containsExactlyInAnyOrder("a=create", "b=create", "written-after-the-loss=remove");
        assertThat(ok("list", "--json").json().get("flags"))
                .extracting(n -> n.get("key").asText())
                .containsExactly("a", "b");
    }

    @Test
    void aServiceBackupFileIsAcceptedOnlyForItsOwnNamespace(@TempDir Path dir) throws IOException {
        ok("create", "a");
        Path export = dir.resolve("flags.json");
        ok("export", "-o", export.toString());
        ObjectNode backup = (ObjectNode) Json.read(Files.readString(export));
        backup.put("version", 1).put("epoch", "e-1").put("savedAt", "2026-01-01T00:00:00Z");
        Path wrong = dir.resolve("other-backup.json");
        Files.writeString(wrong, Json.write(backup.put("namespace", "other"), true));
        Path right = dir.resolve("backup.json");
        Files.writeString(right, Json.write(backup.put("namespace", namespace), true));
        loseNamespace();

        Cli.Result refused = run("apply", "-f", wrong.toString(), "--reseed");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("is a backup of namespace 'other'", "--namespace other");

        ok("apply", "-f", right.toString(), "--reseed");
        assertThat(ok("status", "--json").json().get("origin").asText()).isEqualTo("seed");
    }
}
