package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.ClientState;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.StoreUnavailableException;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.testing.RedisServerExtension;
import io.flagstore.redis.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code rediss://} against a real redis-server with TLS on and certificates made for the test:
 * the client and the admin work when the server's certificate is signed by the trusted CA and names
 * the host; otherwise the connection is refused with an error saying so.
 */
class TlsIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension().withTls();

    private String namespace;

    @BeforeEach
    void namespace() {
        namespace = redis.uniqueNamespace();
    }

    private RedisOptions options(Path trusted) {
        return RedisOptions.builder()
                .uri(redis.tlsUri())
                .namespace(namespace)
                .trustedCertificate(trusted)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
    }

    @Test
    void theClientAndTheAdminWorkOverTlsWithTheTrustedCa() {
        RedisOptions options = options(redis.certificates().ca());
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.killSwitch("payments-api"));
            RedisFlagSource source = RedisFlagSource.builder().options(options).build();
            try (FlagClient client = FlagClient.builder().source(source).build()) {
                EvaluationContext ctx = EvaluationContext.of("u");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> client.health().state() == ClientState.READY);
                assertThat(client.boolValue("payments-api", ctx, false)).isTrue();

                admin.disable("payments-api");
                await().atMost(Duration.ofSeconds(5)).until(() -> !client.boolValue("payments-api", ctx, true));
            }
        }
        assertThat(redis.execute("INFO", "stats").toString())
                .as("connections were accepted on the TLS port")
                .containsPattern("total_connections_received:\\d+");
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefused() {
        assertThatThrownBy(() -> FlagAdmin.connect(options(redis.certificates().otherCa())))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("TLS handshake with Redis at " + redis.tlsUri() + " failed")
                .hasMessageContaining("not trusted")
                .hasMessageContaining(redis.certificates().otherCa().toString());
    }

    @Test
    void withoutATrustedCaTheJvmTrustStoreRefusesAPrivateCa() {
        assertThatThrownBy(() -> FlagAdmin.connect(options(null)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("TLS handshake")
                .hasMessageContaining("the JVM's default trust store");
    }

    @Test
    void aServerCertificateForAnotherHostIsRefused() {
        TestCertificates certs = redis.certificates();
        serve(certs.wrongHost());
        try {
            assertThatThrownBy(() -> FlagAdmin.connect(options(certs.ca())))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("TLS handshake")
                    .hasMessageContaining("does not name the host");
        } finally {
            serve(certs.server());
        }
        FlagAdmin.connect(options(certs.ca())).close();
    }

    @Test
    void aSourceThatCannotVerifyTheServerNeverServesFromItAndSaysWhy() {
        RedisFlagSource source = RedisFlagSource.builder()
                .options(options(redis.certificates().otherCa()))
                .build();
        try (FlagClient client = FlagClient.builder()
                .source(source)
                .startTimeout(Duration.ofMillis(100))
                .build()) {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(client.health().message())
                            .contains("Redis at " + redis.tlsUri() + ": cannot connect")
                            .containsIgnoringCase("certification path"));
            assertThat(client.health().state()).isNotEqualTo(ClientState.READY);
            assertThat(client.boolValue("payments-api", EvaluationContext.of("u"), true))
                    .as("the default: nothing was loaded")
                    .isTrue();
        }
    }

    /** Makes the server present {@code pair} to new connections (Redis reloads TLS on CONFIG SET). */
    private static void serve(TestCertificates.KeyPair pair) {
        redis.execute(
                "CONFIG",
                "SET",
                "tls-cert-file",
                pair.certificate().toString(),
                "tls-key-file",
                pair.key().toString());
    }
}
