package io.flagstore.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checksum a write stores in each flag and segment hash (field {@value #FIELD}), over the
 * definition's fields as written, so a hash changed by hand afterwards (without a write, hence
 * without a new version) can be found: recompute and compare. The fields the write script sets
 * itself ({@code version}, {@code updatedAt}) and the checksum are left out.
 *
 * <p>Implementation notes: SHA-1 over {@code name NUL value NUL} for every field in name order, as
 * 40 lower-case hex digits: the write script computes the same with Redis's {@code redis.sha1hex}
 * when it rewrites a flag it read itself (a switch). Hashes written before that carry the first 64
 * bits of SHA-256 over the same bytes (16 hex digits), which {@link #matches} still accepts. It
 * detects edits, it does not authenticate: a person who can write the hash can also write a matching
 * checksum.
 */
public final class HashChecksum {
    /** The hash field holding the checksum. */
    public static final String FIELD = "checksum";

    private static final Set<String> UNCOVERED = Set.of(FIELD, "version", "updatedAt");
    private static final int EARLIER_LENGTH = 16;

    private HashChecksum() {}

    /** The checksum of {@code fields} (fields it does not cover are ignored). */
    public static String of(Map<String, String> fields) {
        return HexFormat.of().formatHex(digest("SHA-1", fields));
    }

    /** Whether {@code stored} is the checksum of {@code fields}, in this form or the earlier one. */
    public static boolean matches(Map<String, String> fields, String stored) {
        if (stored.length() == EARLIER_LENGTH) {
            return stored.equals(HexFormat.of().formatHex(digest("SHA-256", fields), 0, Long.BYTES));
        }
        return stored.equals(of(fields));
    }

    private static byte[] digest(String algorithm, Map<String, String> fields) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + algorithm, e);
        }
        new TreeMap<>(fields).forEach((name, value) -> {
            if (!UNCOVERED.contains(name)) {
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(value.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
        });
        return digest.digest();
    }
}
