package io.flagstore.redis.testing;

import io.flagstore.redis.ServiceInstance;
import io.flagstore.redis.internal.PresenceJson;
import io.flagstore.redis.internal.PresenceSigner;

/**
 * One presence signing key, as a source holds it, for tests that write presence entries by hand:
 * an instance that never applies a write, or a forger signing with a key of its own. Thread-safe.
 */
public final class SignedPresence {
    private final PresenceSigner signer = PresenceSigner.generate();

    /** The entry {@code instance} of {@code namespace}, signed with this key. */
    public String entry(String namespace, ServiceInstance instance) {
        return PresenceJson.write(instance, namespace, signer);
    }

    /** The entry {@code instance} unsigned, as sources older than signed presence write it. */
    public static String unsigned(ServiceInstance instance) {
        return PresenceJson.write(instance);
    }

    /** The public key, as entries carry it. */
    public String publicKey() {
        return signer.publicKey();
    }
}
