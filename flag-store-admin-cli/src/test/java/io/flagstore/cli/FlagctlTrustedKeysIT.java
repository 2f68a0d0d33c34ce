package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.testing.DirectConnection;
import io.flagstore.redis.testing.DocumentedAcl;
import io.flagstore.redis.testing.RecordingSink;
import io.flagstore.redis.testing.RedisServerExtension;
import io.flagstore.redis.testing.SignedPresence;
import io.lettuce.core.RedisCommandExecutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flagctl trust} as an operator uses it: make a service key, deploy it to a real source,
 * vouch for it, and see {@code --wait} hold the instance to it; and what the roles may do.
 */
class FlagctlTrustedKeysIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    @TempDir
    Path dir;

    private String namespace;
    private Map<String, String> env;

    @BeforeEach
    void namespace() {
        namespace = redis.uniqueNamespace();
        env = Cli.env(redis.uri(), namespace);
        Cli.ok(env, "create", "payments-api");
    }

    private String trustedKeysKey() {
        return "flagstore:{" + namespace + "}:trusted-keys";
    }

    private String keygen(Path file) {
        return Cli.ok(env, "trust", "keygen", file.toString(), "--json")
                .json()
                .get("key")
                .asText();
    }

    @Test
    void aServiceKeyMadeWithKeygenAndTrustedConfirmsAKillSwitchFromARealSource() throws Exception {
        Path keyFile = dir.resolve("checkout.key");
        String publicKey = keygen(keyFile);
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN PRIVATE KEY-----");

        RecordingSink sink = new RecordingSink();
        try (RedisFlagSource source = RedisFlagSource.builder()
                .options(RedisOptions.builder()
                        .uri(redis.uri())
                        .namespace(namespace)
                        .build())
                .serviceName("checkout")
                .presenceKeyFile(keyFile)
                .heartbeatInterval(Duration.ofMillis(200))
                .build()) {
            source.start(sink);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Cli.ok(env, "status").out().contains("checkout"));
            Cli.Result added = Cli.ok(env, "trust", "add", "checkout", publicKey);
            assertThat(added.out())
                    .contains(
                            "for service 'checkout': 1 of 1 live instances sign with it",
                            "--wait now counts only instances signed by their service's trusted key");

            JsonNode listed = Cli.ok(env, "trust", "list", "--json").json();
            assertThat(listed.get("trusted").get(0).get("key").asText()).isEqualTo(publicKey);
            assertThat(listed.get("trusted").get(0).get("liveSigned").asInt()).isEqualTo(1);

            Cli.Result r = Cli.ok(env, "disable", "payments-api", "--wait-timeout", "10s");
            assertThat(r.out()).contains("all 1 instance applied", "each entry signed by its service's trusted key");
        }
    }

    @Test
    void keygenNeverOverwritesAFile() throws Exception {
        Path keyFile = Files.writeString(dir.resolve("existing.key"), "keep me");

        Cli.Result r = Cli.run(env, Cli.NO_TERMINAL, "trust", "keygen", keyFile.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.err()).contains("already exists: nothing written");
        assertThat(Files.readString(keyFile)).isEqualTo("keep me");
    }

    @Test
    void aKeyThatIsNotAnEd25519PublicKeyIsRefusedAndNothingIsWritten() {
        Cli.Result r = Cli.run(env, Cli.NO_TERMINAL, "trust", "add", "checkout", "MCowBQYDK2VwAyEA");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("the key for service 'checkout' is not an X.509-encoded Ed25519 public key");
        assertThat(redis.execute("EXISTS", trustedKeysKey())).isEqualTo(0L);
    }

    @Test
    void aPemPublicKeyFileIsTakenAndRemovingTheKeyGoesBackToTrustOnFirstSight() throws Exception {
        String publicKey = new SignedPresence().publicKey();
        Path pem = Files.writeString(
                dir.resolve("checkout.pub"),
                "-----BEGIN PUBLIC KEY-----\n" + publicKey + "\n-----END PUBLIC KEY-----\n");

        Cli.ok(env, "trust", "add", "checkout", "--key-file", pem.toString());
        assertThat(redis.execute("HGET", trustedKeysKey(), "checkout")).isEqualTo(publicKey);

        assertThat(Cli.ok(env, "trust", "remove", "checkout").out()).contains("removed");
        assertThat(Cli.ok(env, "trust", "list").out()).contains("trusted on first sight");
        Cli.Result again = Cli.run(env, Cli.NO_TERMINAL, "trust", "remove", "checkout");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void theServiceRoleCanReadTrustedKeysButNotChangeThem() throws Exception {
        String publicKey = new SignedPresence().publicKey();
        Cli.ok(env, "trust", "add", "checkout", publicKey);
        String serviceUri =
                DocumentedAcl.create(redis, DocumentedAcl.Role.SERVICE, namespace, "svc-" + namespace, "service-pw");
        Map<String, String> asService = Cli.env(serviceUri, namespace);

        Cli.Result r =
                Cli.run(asService, Cli.NO_TERMINAL, "trust", "add", "checkout", new SignedPresence().publicKey());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(Cli.ok(asService, "trust", "list").out()).contains(publicKey);
        DirectConnection.with(serviceUri, c -> {
            for (Runnable write : new Runnable[] {
                () -> c.hset(trustedKeysKey(), "checkout", "forged"),
                () -> c.hdel(trustedKeysKey(), "checkout"),
                () -> c.del(trustedKeysKey())
            }) {
                try {
                    write.run();
                    throw new AssertionError("the service role changed the trusted keys");
                } catch (RedisCommandExecutionException e) {
                    assertThat(e).hasMessageContaining("NOPERM");
                }
            }
        });
        assertThat(redis.execute("HGET", trustedKeysKey(), "checkout")).isEqualTo(publicKey);
    }
}
