package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.redis.testing.RedisServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** flagctl over {@code rediss://} against a real redis-server with TLS on and test certificates. */
class FlagctlTlsIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension().withTls();

    private String namespace;

    @BeforeEach
    void namespace() {
        namespace = redis.uniqueNamespace();
    }

    private Cli.Result run(Map<String, String> env, String... args) {
        return Cli.run(env, Cli.NO_TERMINAL, args);
    }

    @Test
    void writesAndReadsOverTlsWithTheCaFromTheOptionOrTheEnvironment() {
        String ca = redis.certificates().ca().toString();
        Cli.Result created =
                run(Map.of(), "create", "payments-api", "--redis", redis.tlsUri(), "--redis-ca", ca, "-n", namespace);
        assertThat(created.exitCode()).as(created.toString()).isZero();

        Map<String, String> env =
                Map.of(Flagctl.ENV_REDIS, redis.tlsUri(), Flagctl.ENV_REDIS_CA, ca, Flagctl.ENV_NAMESPACE, namespace);
        Cli.Result list = run(env, "list", "--json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("payments-api");
    }

    @Test
    void anUntrustedServerCertificateExitsFiveNamingTls() {
        Cli.Result r = run(
                Map.of(Flagctl.ENV_NAMESPACE, namespace),
                "list",
                "--redis",
                redis.tlsUri(),
                "--redis-ca",
                redis.certificates().otherCa().toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.err().lines().toList()).as(r.toString()).hasSize(2);
        assertThat(r.err())
                .startsWith("flagctl: error: TLS handshake with Redis at " + redis.tlsUri() + " failed: ")
                .contains("hint: the server's certificate must be signed by a CA you trust (--redis-ca");
    }

    @Test
    void aCaFileThatIsNotACertificateOrAPlainUrlWithACaIsAUsageError(@TempDir Path dir) throws IOException {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        Cli.Result garbage = run(Map.of(), "list", "--redis", redis.tlsUri(), "--redis-ca", notPem.toString());
        assertThat(garbage.exitCode()).as(garbage.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(garbage.err()).contains(notPem.toString()).contains("certificate");

        Cli.Result plain = run(
                Map.of(),
                "list",
                "--redis",
                redis.uri(),
                "--redis-ca",
                redis.certificates().ca().toString());
        assertThat(plain.exitCode()).as(plain.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(plain.err()).contains("use rediss://");
    }
}
