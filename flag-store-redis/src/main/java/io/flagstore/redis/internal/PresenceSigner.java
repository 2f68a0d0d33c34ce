package io.flagstore.redis.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;

/**
 * An instance's presence signing key: by default an Ed25519 key pair made when the instance starts
 * and never stored, so a presence entry signed by it can only come from that instance; or a service's
 * key read from a file ({@link #fromPem}), which an operator vouches for with {@code flagctl trust}.
 * Redis cannot tell which holder of the shared service role wrote a field; the signature lets the
 * admin side tell whether an entry was written under the key it trusts, or the same key it saw before
 * (docs/operations.md, "Presence").
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

    private static final int X509_LENGTH = X509_PREFIX.length + Ed25519PublicKeyParameters.KEY_SIZE;
    private static final String PRIVATE_KEY_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_KEY_LABEL = "PUBLIC KEY";

    private final Ed25519PrivateKeyParameters privateKey;
    private final String publicKey;

    private PresenceSigner(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_LENGTH);
        privateKey.generatePublicKey().encode(encoded, X509_PREFIX.length);
        this.publicKey = Base64.getEncoder().encodeToString(encoded);
    }

    /** A new key pair. */
    public static PresenceSigner generate() {
        return new PresenceSigner(new Ed25519PrivateKeyParameters(new SecureRandom()));
    }

    /**
     * The signer of an Ed25519 private key in PEM (PKCS#8, {@code BEGIN PRIVATE KEY}), as {@link
     * #privateKeyPem()} and {@code openssl genpkey -algorithm ed25519} write it.
     *
     * @throws IllegalArgumentException naming what is wrong (the key itself is never quoted)
     */
    public static PresenceSigner fromPem(String pem) {
        byte[] der = pemBody(pem, PRIVATE_KEY_LABEL);
        AsymmetricKeyParameter key;
        try {
            key = PrivateKeyFactory.createKey(der);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a PKCS#8 private key: " + e.getMessage(), e);
        }
        if (!(key instanceof Ed25519PrivateKeyParameters ed25519)) {
            throw new IllegalArgumentException(
                    "not an Ed25519 key but " + key.getClass().getSimpleName().replaceFirst("Private.*", ""));
        }
        return new PresenceSigner(ed25519);
    }

    /** The private key in PEM (PKCS#8): what {@link #fromPem} reads. Keep it secret. */
    public String privateKeyPem() {
        try {
            return pem(
                    PRIVATE_KEY_LABEL,
                    PrivateKeyInfoFactory.createPrivateKeyInfo(privateKey).getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // encoding in memory cannot fail
        }
    }

    /**
     * The public key given as {@code text}, in the form entries carry it (base64 X.509): {@code text}
     * is that form, or a PEM public key ({@code BEGIN PUBLIC KEY}, as {@code openssl pkey -pubout}
     * writes it).
     *
     * @throws IllegalArgumentException when it is neither, or not an Ed25519 key
     */
    public static String publicKey(String text) {
        String trimmed = text.strip();
        byte[] encoded;
        if (trimmed.startsWith("-----")) {
            encoded = pemBody(trimmed, PUBLIC_KEY_LABEL);
        } else {
            try {
                encoded = Base64.getDecoder().decode(trimmed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not base64, nor a PEM public key: " + e.getMessage(), e);
            }
        }
        if (!isEd25519(encoded)) {
            throw new IllegalArgumentException("not an X.509-encoded Ed25519 public key (" + encoded.length
                    + " bytes; an Ed25519 key is " + X509_LENGTH + ")");
        }
        return Base64.getEncoder().encodeToString(encoded);
    }

    private static boolean isEd25519(byte[] x509) {
        return x509.length == X509_LENGTH
                && Arrays.equals(x509, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length);
    }

    private static byte[] pemBody(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException(
                    "not a PEM " + label.toLowerCase(Locale.ROOT) + " (expected " + begin + " ... " + end + ")");
        }
        try {
            // not the MIME decoder: it skips characters outside the alphabet instead of refusing them
            return Base64.getDecoder()
                    .decode(pem.substring(from + begin.length(), to).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM " + label.toLowerCase(Locale.ROOT) + " is not base64", e);
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + label + "-----\n";
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
            if (!isEd25519(encoded)) {
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
