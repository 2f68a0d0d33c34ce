package io.flagstore.core.internal;

/**
 * Percentage-rollout bucketing, exactly as docs/bucketing.md specifies (DESIGN §4): MurmurHash3 x86
 * 32-bit, seed 0, over the UTF-8 bytes of {@code salt + "." + bucketValue}, mapped to [0, 100000)
 * by {@code (h & 0xffffffffL) * 100000 >>> 32}.
 *
 * <p>Implementation notes: this runs on every rollout evaluation, so it hashes the UTF-8 encoding of
 * the two strings and the separator incrementally, without building the concatenated String or its
 * byte[]. Malformed UTF-16 (an unpaired surrogate) is encoded as {@code '?'}, as {@link
 * String#getBytes(java.nio.charset.Charset)} does, so results equal hashing the concatenation's bytes.
 */
public final class Bucketing {
    /** Number of buckets: one bucket is 0.001 %. */
    public static final int BUCKETS = 100_000;

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private Bucketing() {}

    /**
     * The bucket of {@code bucketValue} under {@code salt}, in [0, 100000).
     *
     * @throws NullPointerException if an argument is null
     */
    public static int bucket(String salt, String bucketValue) {
        return bucketOf(hash(salt, bucketValue));
    }

    /** Maps an unsigned 32-bit hash to [0, 100000) by multiply-shift. */
    static int bucketOf(int hash) {
        return (int) (((hash & 0xffffffffL) * BUCKETS) >>> 32);
    }

    /** MurmurHash3 x86 32-bit (seed 0) of the UTF-8 bytes of {@code salt + "." + bucketValue}. */
    static int hash(String salt, String bucketValue) {
        // State: h = running hash, k = pending little-endian block, n = bytes in k, len = total bytes.
        int h = 0;
        int k = 0;
        int n = 0;
        int len = 0;
        int saltLength = salt.length();
        int total = saltLength + 1 + bucketValue.length();
        for (int i = 0; i < total; i++) {
            char c = charAt(salt, bucketValue, i);
            int bytes; // up to 4 UTF-8 bytes, first byte lowest
            int count;
            if (c < 0x80) {
                bytes = c;
                count = 1;
            } else if (c < 0x800) {
                bytes = (0xc0 | (c >> 6)) | ((0x80 | (c & 0x3f)) << 8);
                count = 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < total
                    && Character.isLowSurrogate(charAt(salt, bucketValue, i + 1))) {
                // The separator is no low surrogate, so a pair never spans the parts.
                int cp = Character.toCodePoint(c, charAt(salt, bucketValue, i + 1));
                i++;
                bytes = (0xf0 | (cp >> 18))
                        | ((0x80 | ((cp >> 12) & 0x3f)) << 8)
                        | ((0x80 | ((cp >> 6) & 0x3f)) << 16)
                        | ((0x80 | (cp & 0x3f)) << 24);
                count = 4;
            } else if (Character.isSurrogate(c)) {
                bytes = '?';
                count = 1;
            } else {
                bytes = (0xe0 | (c >> 12)) | ((0x80 | ((c >> 6) & 0x3f)) << 8) | ((0x80 | (c & 0x3f)) << 16);
                count = 3;
            }
            for (int b = 0; b < count; b++) {
                k |= ((bytes >>> (8 * b)) & 0xff) << (8 * n);
                len++;
                if (++n == 4) {
                    h = mixH(h, k);
                    k = 0;
                    n = 0;
                }
            }
        }
        if (n > 0) {
            h ^= mixK(k);
        }
        return fmix(h ^ len);
    }

    /** The i-th char of {@code salt + "." + bucketValue}. */
    private static char charAt(String salt, String bucketValue, int i) {
        int saltLength = salt.length();
        return i < saltLength ? salt.charAt(i) : i == saltLength ? '.' : bucketValue.charAt(i - saltLength - 1);
    }

    private static int mixK(int k) {
        k *= C1;
        k = Integer.rotateLeft(k, 15);
        return k * C2;
    }

    private static int mixH(int h, int k) {
        h ^= mixK(k);
        h = Integer.rotateLeft(h, 13);
        return h * 5 + 0xe6546b64;
    }

    private static int fmix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
