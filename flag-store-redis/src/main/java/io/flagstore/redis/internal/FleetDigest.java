package io.flagstore.redis.internal;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;

/**
 * The digest of a set of flag definitions, by which instances that report the same version can be
 * checked to serve the same definitions (a hash edited without a version bump is otherwise invisible).
 *
 * <p>Implementation notes: a flag's digest is the first 64 bits of SHA-256 over its canonical compact
 * JSON ({@link FlagJson#writeCompact}); a set's digest is the XOR of its flags' digests, so it does not
 * depend on order and a holder can keep it up to date in O(changed) by XOR-ing out the old
 * definition and XOR-ing in the new one. Both sides that compare digests (a source reporting what it
 * serves, an admin computing what Redis holds) compute them here.
 */
public final class FleetDigest {
    /** The digest of the empty set. */
    public static final long EMPTY = 0L;

    private FleetDigest() {}

    /** The 64-bit digest of one flag definition. */
    public static long of(Flag flag) {
        MessageDigest sha256 = sha256();
        try (DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
            FlagJson.writeCompact(flag, out); // the same bytes as toTree(flag).toString(), without the tree
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a digest has nothing to fail on
        }
        byte[] hash = sha256.digest();
        long digest = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            digest = (digest << 8) | (hash[i] & 0xff);
        }
        return digest;
    }

    /** The digest of a set of flag definitions. */
    public static long of(Collection<Flag> flags) {
        long digest = EMPTY;
        for (Flag flag : flags) {
            digest ^= of(flag);
        }
        return digest;
    }

    /** The form a digest takes in presence entries and command output: 16 lower-case hex digits. */
    public static String hex(long digest) {
        return String.format("%016x", digest);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
