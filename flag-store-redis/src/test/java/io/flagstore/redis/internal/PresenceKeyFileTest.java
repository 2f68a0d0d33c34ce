package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagstore.redis.ServiceInstance;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** A service's presence key read from PEM, and public keys as operators paste them. */
class PresenceKeyFileTest {
    /** The example key pair of RFC 8410, section 10.3, as OpenSSL writes it. */
    private static final String RFC_PRIVATE =
            "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";

    private static final String RFC_PUBLIC = "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=";

    @Test
    void aKeyWrittenByOpensslIsReadWithItsPublicKey() {
        assertThat(PresenceSigner.fromPem(RFC_PRIVATE).publicKey()).isEqualTo(RFC_PUBLIC);
    }

    @Test
    void aWrittenKeyReadsBackAsTheSameKeyAndSignsEntriesThatVerify() {
        PresenceSigner made = PresenceSigner.generate();
        PresenceSigner read = PresenceSigner.fromPem(made.privateKeyPem());
        ServiceInstance entry = new ServiceInstance(
                "checkout", "checkout-1", "h1", 7, Instant.EPOCH, Instant.EPOCH, null, "e1", null, null, null);

        assertThat(made.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(read.publicKey()).isEqualTo(made.publicKey());
        PresenceJson.Parsed parsed = PresenceJson.read(PresenceJson.write(entry, "prod", read), "prod");
        assertThat(parsed.problem()).isNull();
        assertThat(parsed.instance().signingKey()).isEqualTo(made.publicKey());
    }

    @Test
    void whatIsNotAnEd25519PrivateKeyIsRefusedSayingWhy() throws NoSuchAlgorithmException {
        String rsa = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder()
                        .encodeToString(KeyPairGenerator.getInstance("RSA")
                                .generateKeyPair()
                                .getPrivate()
                                .getEncoded())
                + "\n-----END PRIVATE KEY-----\n";

        assertThatThrownBy(() -> PresenceSigner.fromPem("not a key"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-----BEGIN PRIVATE KEY-----");
        assertThatThrownBy(() -> PresenceSigner.fromPem(
                        "-----BEGIN PUBLIC KEY-----\n" + RFC_PUBLIC + "\n-----END PUBLIC KEY-----"))
                .hasMessageContaining("not a PEM private key");
        assertThatThrownBy(() -> PresenceSigner.fromPem(rsa)).hasMessage("not an Ed25519 key but RSA");
        assertThatThrownBy(() -> PresenceSigner.fromPem("-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----"))
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> PresenceSigner.fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                .hasMessageStartingWith("not a PKCS#8 private key");
    }

    @Test
    void aPublicKeyIsTakenInBase64OrPemAndAnythingElseIsRefused() {
        assertThat(PresenceSigner.publicKey(" " + RFC_PUBLIC + "\n")).isEqualTo(RFC_PUBLIC);
        assertThat(PresenceSigner.publicKey(
                        "-----BEGIN PUBLIC KEY-----\n" + RFC_PUBLIC + "\n-----END PUBLIC KEY-----\n"))
                .isEqualTo(RFC_PUBLIC);

        assertThatThrownBy(() -> PresenceSigner.publicKey("MCow"))
                .hasMessageContaining("not an X.509-encoded Ed25519 public key (3 bytes");
        assertThatThrownBy(() -> PresenceSigner.publicKey("%%%")).hasMessageStartingWith("not base64");
        assertThatThrownBy(() -> PresenceSigner.publicKey(RFC_PRIVATE)).hasMessageContaining("not a PEM public key");
    }
}
