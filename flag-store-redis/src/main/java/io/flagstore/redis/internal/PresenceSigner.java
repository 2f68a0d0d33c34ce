package io.flagstore.redis.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * An instance's presence signing key: an Ed25519 key pair made when the instance starts and never
 * stored, so a presence entry signed by it can only come from that instance. Redis cannot tell which
 * holder of the shared service role wrote a field; the signature lets the admin side tell whether an
 * entry was written under the same key as the one it saw before (docs/operations.md, "Presence").
 *
 * <p>Thread-safe.
 */
public final class PresenceSigner {
    private static final String ALGORITHM = "Ed25519";

    private final KeyPair pair;
    private final String publicKey;

    private PresenceSigner(KeyPair pair) {
        this.pair = pair;
        this.publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    }

    /** A new key pair. */
    public static PresenceSigner generate() {
        try {
            return new PresenceSigner(KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no " + ALGORITHM + " (Java 15 or later has)", e);
        }
    }

    /** The public key, X.509-encoded, in base64: what a presence entry carries as {@code key}. */
    public String publicKey() {
        return publicKey;
    }

    /** The base64 signature of {@code message}. */
    String sign(byte[] message) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(pair.getPrivate());
            signature.update(message);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + ALGORITHM, e);
        }
    }

    /**
     * Whether {@code signature} (base64) is {@code publicKey}'s (base64 X.509) over {@code message}.
     * Anything malformed is simply not verified: entries come from Redis and may be anything.
     */
    static boolean verify(String publicKey, byte[] message, String signature) {
        try {
            PublicKey key = KeyFactory.getInstance(ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | RuntimeException e) { // a malformed key or signature
            return false;
        }
    }
}
