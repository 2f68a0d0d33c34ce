package io.flagstore.redis.internal;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An instance's presence signing key: an Ed25519 key pair made when the instance starts and never
 * stored, so a presence entry signed by it can only come from that instance. Redis cannot tell which
 * holder of the shared service role wrote a field; the signature lets the admin side tell whether an
 * entry was written under the same key as the one it saw before (docs/operations.md, "Presence").
 *
 * <p>Signatures are plain Ed25519 (RFC 8032) and public keys X.509-encoded, so any Ed25519
 * implementation (the JDK's too) verifies them; Bouncy Castle's is used because it signs about 20
 * times faster than the JDK 17's, and a source signs up to 20 entries a second during a burst of
 * changes.
 *
 * <p>Thread-safe.
 */
public final class PresenceSigner {
    /** The X.509 SubjectPublicKeyInfo header of every Ed25519 public key (RFC 8410), before its 32 bytes. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final Ed25519PrivateKeyParameters privateKey;
    private final String publicKey;

    private PresenceSigner(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + Ed25519PublicKeyParameters.KEY_SIZE);
        privateKey.generatePublicKey().encode(encoded, X509_PREFIX.length);
        this.publicKey = Base64.getEncoder().encodeToString(encoded);
    }

    /** A new key pair. */
    public static PresenceSigner generate() {
        return new PresenceSigner(new Ed25519PrivateKeyParameters(new SecureRandom()));
    }

    /** The public key, X.509-encoded, in base64: what a presence entry carries as {@code key}. */
    public String publicKey() {
        return publicKey;
    }

    /** The base64 signature of {@code message}. */
    String sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return Base64.getEncoder().encodeToString(signer.generateSignature());
    }

    /**
     * Whether {@code signature} (base64) is {@code publicKey}'s (base64 X.509) over {@code message}.
     * Anything malformed is simply not verified: entries come from Redis and may be anything.
     */
    static boolean verify(String publicKey, byte[] message, String signature) {
        try {
            byte[] encoded = Base64.getDecoder().decode(publicKey);
            if (encoded.length != X509_PREFIX.length + Ed25519PublicKeyParameters.KEY_SIZE
                    || !Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
                return false;
            }
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(encoded, X509_PREFIX.length));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(Base64.getDecoder().decode(signature));
        } catch (RuntimeException e) { // a malformed key or signature
            return false;
        }
    }
}
