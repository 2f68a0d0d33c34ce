package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.redis.ServiceInstance;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class PresenceSignatureTest {
    private static final String NS = "prod";
    private static final Instant T = Instant.ofEpochMilli(1_700_000_000_123L);
    private static final ServiceInstance ENTRY = new ServiceInstance(
            "checkout",
            "checkout-1",
            "h1",
            42,
            T,
            T.plusSeconds(1),
            T.minusSeconds(60),
            "e1",
            Duration.ofSeconds(5),
            "0123456789abcdef",
            null);

    private final PresenceSigner signer = PresenceSigner.generate();

    private static ObjectNode tree(String json) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    @Test
    void aSignedEntryReadsBackWithItsKey() {
        PresenceJson.Parsed parsed = PresenceJson.read(PresenceJson.write(ENTRY, NS, signer), NS);

        assertThat(parsed.problem()).isNull();
        assertThat(parsed.instance()).isEqualTo(ENTRY.withSigningKey(signer.publicKey()));
    }

    @Test
    void aClosedEntryIsSignedWithItsCloseTime() {
        ServiceInstance closed =
                new ServiceInstance("checkout", "checkout-1", null, 42, T, T, null, null, null, null, T.plusSeconds(2));

        PresenceJson.Parsed parsed = PresenceJson.read(PresenceJson.write(closed, NS, signer), NS);

        assertThat(parsed.instance()).isEqualTo(closed.withSigningKey(signer.publicKey()));
    }

    @Test
    void anUnsignedEntryIsReadWithoutAKey() {
        PresenceJson.Parsed parsed = PresenceJson.read(PresenceJson.write(ENTRY), NS);

        assertThat(parsed.problem()).isNull();
        assertThat(parsed.instance()).isEqualTo(ENTRY);
        assertThat(parsed.instance().signingKey()).isNull();
    }

    @Test
    void anEntrySignedByAnotherKeyVerifiesUnderThatKey() {
        PresenceSigner forger = PresenceSigner.generate();

        ServiceInstance read =
                PresenceJson.read(PresenceJson.write(ENTRY, NS, forger), NS).instance();

        assertThat(read.signingKey()).isEqualTo(forger.publicKey()).isNotEqualTo(signer.publicKey());
    }

    @Test
    void anEntrySignedForAnotherNamespaceDoesNotVerify() {
        assertThat(PresenceJson.read(PresenceJson.write(ENTRY, "staging", signer), NS))
                .isEqualTo(new PresenceJson.Parsed(null, "signature does not verify"));
    }

    @Test
    void changingAnySignedFieldBreaksTheSignature() {
        String json = PresenceJson.write(ENTRY, NS, signer);
        List<Consumer<ObjectNode>> edits = List.of(
                n -> n.put("service", "other"),
                n -> n.put("instance", "checkout-2"),
                n -> n.put("host", "h2"),
                n -> n.put("appliedVersion", 43),
                n -> n.put("appliedAt", T.toEpochMilli() + 1),
                n -> n.put("heartbeat", T.toEpochMilli() + 5000),
                n -> n.put("started", 1),
                n -> n.put("epoch", "e2"),
                n -> n.put("heartbeatMs", 60_000),
                n -> n.put("digest", "fedcba9876543210"),
                n -> n.put("closedAt", T.toEpochMilli()),
                n -> n.remove("appliedAt"),
                n -> n.remove("sig"),
                n -> n.remove("key"),
                n -> n.put("key", PresenceSigner.generate().publicKey()),
                n -> n.put("key", "not base64!"),
                n -> n.put("sig", "AAAA"),
                n -> n.put("sig", 7));
        for (int i = 0; i < edits.size(); i++) {
            ObjectNode node = tree(json);
            edits.get(i).accept(node);

            assertThat(PresenceJson.read(node.toString(), NS).problem())
                    .as("edit %d: %s", i, node)
                    .isEqualTo("signature does not verify");
        }
    }

    @Test
    void aSignatureMovedToAnotherEntryOfTheSameKeyDoesNotVerify() {
        ServiceInstance older = new ServiceInstance(
                "checkout",
                "checkout-1",
                "h1",
                41,
                T.minusSeconds(10),
                T.minusSeconds(9),
                T.minusSeconds(60),
                "e1",
                Duration.ofSeconds(5),
                "0123456789abcdef",
                null);
        ObjectNode newer = tree(PresenceJson.write(ENTRY, NS, signer));
        newer.put("sig", tree(PresenceJson.write(older, NS, signer)).get("sig").asText());

        assertThat(PresenceJson.read(newer.toString(), NS).problem()).isEqualTo("signature does not verify");
    }

    @RepeatedTest(20)
    void randomBytesAsKeyAndSignatureNeverThrowAndNeverVerify(RepetitionInfo repetition) {
        long seed = 0x5eed_0000L + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        byte[] key = new byte[random.nextInt(64)];
        byte[] sig = new byte[random.nextInt(96)];
        random.nextBytes(key);
        random.nextBytes(sig);
        ObjectNode node = tree(PresenceJson.write(ENTRY));
        node.put("key", java.util.Base64.getEncoder().encodeToString(key));
        node.put("sig", java.util.Base64.getEncoder().encodeToString(sig));

        assertThat(PresenceJson.read(node.toString(), NS).problem())
                .as("seed %d", seed)
                .isEqualTo("signature does not verify");
    }

    @Test
    void signaturesAndKeysArePlainEd25519ThatTheJdkMakesAndChecksToo() throws Exception {
        byte[] message = "checkout-1 applied 42".getBytes(StandardCharsets.UTF_8);
        Base64.Decoder decode = Base64.getDecoder();
        Signature jdkVerifier = Signature.getInstance("Ed25519");
        jdkVerifier.initVerify(KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(decode.decode(signer.publicKey()))));
        jdkVerifier.update(message);
        assertThat(jdkVerifier.verify(decode.decode(signer.sign(message)))).isTrue();

        KeyPair jdkPair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Signature jdkSigner = Signature.getInstance("Ed25519");
        jdkSigner.initSign(jdkPair.getPrivate());
        jdkSigner.update(message);
        String jdkSignature = Base64.getEncoder().encodeToString(jdkSigner.sign());
        String jdkKey = Base64.getEncoder().encodeToString(jdkPair.getPublic().getEncoded());
        assertThat(PresenceSigner.verify(jdkKey, message, jdkSignature)).isTrue();
        assertThat(PresenceSigner.verify(
                        jdkKey, "checkout-1 applied 43".getBytes(StandardCharsets.UTF_8), jdkSignature))
                .isFalse();
        assertThat(PresenceSigner.verify(signer.publicKey(), message, jdkSignature))
                .isFalse();
    }

    @Test
    void textThatIsNoEntryIsSaidToBeNone() {
        assertThat(PresenceJson.read("{not json", NS).problem()).isEqualTo("not a presence entry");
        assertThat(PresenceJson.read("{}", NS).problem()).isEqualTo("not a presence entry");
    }
}
