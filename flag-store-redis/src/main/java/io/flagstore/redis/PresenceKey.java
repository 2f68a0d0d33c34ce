package io.flagstore.redis;

import io.flagstore.redis.internal.PresenceSigner;

/**
 * A new Ed25519 key pair for signing a service's presence entries: the private half goes into the
 * file its instances read ({@link RedisFlagSource.Builder#presenceKeyFile}), the public half is
 * vouched for with {@link FlagAdmin#trustKey}. {@code flagctl trust keygen} makes one.
 *
 * <p>{@link #toString()} shows the public key only. Immutable.
 */
public final class PresenceKey {
    private final PresenceSigner signer;

    private PresenceKey(PresenceSigner signer) {
        this.signer = signer;
    }

    /** A new key pair from a secure random source. */
    public static PresenceKey generate() {
        return new PresenceKey(PresenceSigner.generate());
    }

    /** The public key, base64 X.509: what presence entries carry and {@link FlagAdmin#trustKey} takes. */
    public String publicKey() {
        return signer.publicKey();
    }

    /** The private key in PEM (PKCS#8), as {@link RedisFlagSource.Builder#presenceKeyFile} reads it. Keep it secret. */
    public String privateKeyPem() {
        return signer.privateKeyPem();
    }

    @Override
    public String toString() {
        return "PresenceKey[" + publicKey() + "]";
    }
}
