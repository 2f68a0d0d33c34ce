package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisOptionsTlsTest {
    @TempDir
    Path dir;

    @Test
    void aTrustedCertificateMustBeAReadablePemCertificate() throws IOException {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> RedisOptions.builder().trustedCertificate(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read the trusted certificate file " + missing);

        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnope\n");
        assertThatThrownBy(() -> RedisOptions.builder().trustedCertificate(garbage))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(garbage.toString())
                .hasMessageContaining("not a PEM certificate");

        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> RedisOptions.builder().trustedCertificate(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.toString());
    }

    @Test
    void aUriCannotTurnCertificateVerificationOff() {
        for (String weak : new String[] {"verifyPeer=NONE", "verifyPeer=false", "timeout=5s&verifyPeer=ca"}) {
            assertThatThrownBy(() -> RedisOptions.of("rediss://u:secret@redis.internal:6380?" + weak))
                    .as(weak)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("would weaken TLS")
                    .hasMessageNotContaining("secret");
        }
        assertThat(RedisOptions.of("rediss://redis.internal:6380?verifyPeer=FULL")
                        .tls())
                .isTrue();
    }

    @Test
    void withoutATrustedCertificateTlsUsesTheJvmTrustStore() {
        RedisOptions options = RedisOptions.of("rediss://u:pw@redis.internal:6380");
        assertThat(options.tls()).isTrue();
        assertThat(options.trustedCertificate()).isNull();
        assertThat(RedisOptions.of("redis://127.0.0.1:6379").tls()).isFalse();
    }
}
