package io.flagstore.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checksum a write stores in each flag and segment hash (field {@value #FIELD}), over the
 * definition's fields as written, so a hash changed by hand afterwards (without a write, hence
 * without a new version) can be found: recompute and compare. The fields the write script sets
 * itself ({@code version}, {@code updatedAt}) and the checksum are left out.
 *
 * <p>Implementation notes: the first 64 bits of SHA-256 over {@code name NUL value NUL} for every
 * field in name order, as 16 lower-case hex digits. It detects edits, it does not authenticate: a
 * person who can write the hash can also write a matching checksum.
 */
public final class HashChecksum {
    /** The hash field holding the checksum. */
    public static final String FIELD = "checksum";

    private static final Set<String> UNCOVERED = Set.of(FIELD, "version", "updatedAt");

    private HashChecksum() {}

    /** The checksum of {@code fields} (fields it does not cover are ignored). */
    public static String of(Map<String, String> fields) {
        MessageDigest sha = sha256();
        new TreeMap<>(fields).forEach((name, value) -> {
            if (!UNCOVERED.contains(name)) {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(value.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
        });
        byte[] hash = sha.digest();
        StringBuilder hex = new StringBuilder(16);
        for (int i = 0; i < Long.BYTES; i++) {
            hex.append(String.format("%02x", hash[i] & 0xff));
        }
        return hex.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
