package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.DocumentedAcl;
import io.flagstore.redis.testing.DocumentedAcl.Role;
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

/**
 * flagctl with the two documented Redis roles (docs/operations.md, "Access control"): the service
 * user reads, every write with it exits 8 saying the admin role is needed and writes nothing; the
 * admin user writes.
 */
class FlagctlAccessIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    @TempDir
    Path dir;

    private String namespace;
    private Map<String, String> service;
    private Map<String, String> admin;

    @BeforeEach
    void users() {
        namespace = redis.uniqueNamespace();
        service = env(DocumentedAcl.create(redis, Role.SERVICE, namespace, "svc-" + namespace, "service-pw"));
        admin = env(DocumentedAcl.create(redis, Role.ADMIN, namespace, "adm-" + namespace, "admin-pw"));
        ok(admin, "create", "payments-api", "--enabled", "--tag", "payments");
    }

    private Map<String, String> env(String uri) {
        return Map.of(Flagctl.ENV_REDIS, uri, Flagctl.ENV_NAMESPACE, namespace);
    }

    private static Cli.Result ok(Map<String, String> env, String... args) {
        Cli.Result r = Cli.run(env, Cli.NO_TERMINAL, args);
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isZero();
        return r;
    }

    @Test
    void readsWorkWithTheServiceUser() {
        assertThat(ok(service, "list").out()).contains("payments-api");
        assertThat(ok(service, "get", "payments-api", "--json")
                        .json()
                        .get("flag")
                        .get("enabled")
                        .asBoolean())
                .isTrue();
        assertThat(ok(service, "status", "--json").json().get("version").asLong())
                .isEqualTo(1);
        assertThat(ok(service, "history").out()).contains("create");
        assertThat(ok(service, "export").out()).contains("\"payments-api\"");
    }

    @Test
    void everyWriteWithTheServiceUserExitsEightNamingTheAdminRoleAndWritesNothing() throws IOException {
        Path file = Files.writeString(dir.resolve("flags.json"), "{\"flags\":[{\"key\":\"from-file\"}]}");
        List<List<String>> writes = List.of(
                List.of("disable", "payments-api", "--reason", "INC-42"),
                List.of("enable", "payments-api"),
                List.of("disable", "--tag", "payments"),
                List.of("create", "other"),
                List.of("set", "payments-api", "--description", "x"),
                List.of("rollout", "payments-api", "on=50", "off=50"),
                List.of("target", "payments-api", "on", "add", "alice"),
                List.of("delete", "payments-api", "--yes"),
                List.of("apply", "-f", file.toString()));
        for (List<String> write : writes) {
            Cli.Result r = Cli.run(service, Cli.NO_TERMINAL, write.toArray(String[]::new));
            String[] lines = r.err().split("\\R");
            assertThat(r.exitCode()).as(write + "\n" + r).isEqualTo(ExitCodes.DENIED);
            assertThat(lines).as(write + "\n" + r).hasSize(2);
            assertThat(lines[0])
                    .as(write + "\n" + r)
                    .startsWith("flagctl: error: 'flagctl " + write.get(0) + "' needs the admin role")
                    .doesNotContain("service-pw");
            assertThat(lines[1]).startsWith("hint: connect with a Redis user that has the admin role");
        }
        assertThat(redis.execute("GET", KeySchema.of(namespace).version())).isEqualTo("1");
        assertThat(redis.execute("XLEN", KeySchema.of(namespace).audit())).isEqualTo(1L);
    }

    @Test
    void theAdminUserWrites() {
        ok(admin, "disable", "payments-api", "--reason", "INC-42", "--no-wait");
        ok(admin, "rollout", "payments-api", "on=50", "off=50");
        ok(admin, "delete", "payments-api", "--yes");
        assertThat(redis.execute("GET", KeySchema.of(namespace).version())).isEqualTo("4");
    }

    @Test
    void aWrongPasswordExitsFiveAskingToCheckTheCredentials() {
        Map<String, String> wrong = env(redis.uri().replace("redis://", "redis://svc-" + namespace + ":not-the-pw@"));
        Cli.Result r = Cli.run(wrong, Cli.NO_TERMINAL, "list");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.err()).contains("refused the credentials").doesNotContain("not-the-pw");
    }
}
