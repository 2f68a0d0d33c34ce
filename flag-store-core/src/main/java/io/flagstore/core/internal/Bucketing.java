package io.flagstore.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Percentage-rollout bucketing, exactly as docs/bucketing.md specifies: MurmurHash3 x86
 * 32-bit, seed 0, over the UTF-8 bytes of {@code salt + "." + bucketValue}, mapped to [0, 100000)
 * by {@code (h & 0xffffffffL) * 100000 >>> 32}.
 *
 * <p>Implementation notes: this runs on every rollout evaluation. The {@code salt + "."} prefix is
 * constant per flag, so a {@link Prefix} holds the hash state after it, computed once at compile
 * time; the bucket value is then encoded to UTF-8 and hashed incrementally straight from its chars,
 * four ASCII chars per step, without building the concatenated String or a byte[]. Malformed
 * UTF-16 (an unpaired surrogate) is encoded as {@code '?'}, as {@link String#getBytes} does, so the
 * result always equals hashing the bytes of the concatenation.
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
        return bucketOf(prefix(salt).hash(bucketValue));
    }

    /** The hash state after {@code salt + "."}, for hashing many bucket values under one salt. */
    static Prefix prefix(String salt) {
        byte[] bytes = (Objects.requireNonNull(salt, "salt") + ".").getBytes(StandardCharsets.UTF_8);
        int h = 0;
        int blocks = bytes.length & ~3;
        for (int i = 0; i < blocks; i += 4) {
            h = mixH(
                    h,
                    (bytes[i] & 0xff) | (bytes[i + 1] & 0xff) << 8 | (bytes[i + 2] & 0xff) << 16 | bytes[i + 3] << 24);
        }
        int k = 0;
        for (int i = blocks; i < bytes.length; i++) {
            k |= (bytes[i] & 0xff) << (8 * (i - blocks));
        }
        return new Prefix(h, k, bytes.length);
    }

    /** Maps an unsigned 32-bit hash to [0, 100000) by multiply-shift. */
    static int bucketOf(int hash) {
        return (int) (((hash & 0xffffffffL) * BUCKETS) >>> 32);
    }

    /** MurmurHash3 x86 32-bit (seed 0) of the UTF-8 bytes of {@code salt + "." + bucketValue}. */
    static int hash(String salt, String bucketValue) {
        return prefix(salt).hash(bucketValue);
    }

    /**
     * Immutable MurmurHash3 state after the bytes of {@code salt + "."}: the running hash, the
     * pending (incomplete, little-endian) block and the byte count. A rollout copies the three into
     * its own fields, so evaluation does not follow one more reference.
     */
    record Prefix(int h, int k, int len) {
        /** The hash of this prefix's bytes followed by the UTF-8 bytes of {@code value}. */
        int hash(String value) {
            return Bucketing.hash(h, k, len, value);
        }
    }

    /**
     * The hash of a prefix's bytes (state {@code h}, {@code k}, {@code len}) followed by the UTF-8
     * bytes of {@code value}. The loop handles ASCII only, keeping it small enough for the JIT to
     * inline; the first other char hands the state to {@link #hashRest}.
     */
    static int hash(int h, int k, int len, String value) {
        int length = value.length();
        int i = 0;
        while (i < length) {
            int bits = (len & 3) << 3; // bits already pending in k
            if (i + 4 <= length) {
                int c0 = value.charAt(i);
                int c1 = value.charAt(i + 1);
                int c2 = value.charAt(i + 2);
                int c3 = value.charAt(i + 3);
                if ((c0 | c1 | c2 | c3) < 0x80) {
                    // Four ASCII chars are four bytes: complete the pending block, keep the rest.
                    int w = c0 | c1 << 8 | c2 << 16 | c3 << 24;
                    h = mixH(h, k | w << bits);
                    k = bits == 0 ? 0 : w >>> (32 - bits);
                    len += 4;
                    i += 4;
                    continue;
                }
            }
            char c = value.charAt(i);
            if (c >= 0x80) {
                return hashRest(value, i, h, k, len);
            }
            k |= c << bits;
            i++;
            if ((++len & 3) == 0) {
                h = mixH(h, k);
                k = 0;
            }
        }
        return finish(h, k, len);
    }

    /** Continues a hash from {@code value.charAt(from)} with any chars: the general UTF-8 path. */
    private static int hashRest(String value, int from, int h, int k, int len) {
        int length = value.length();
        int i = from;
        while (i < length) {
            char c = value.charAt(i++);
            int bytes; // one to four UTF-8 bytes, first byte lowest
            int count;
            if (c < 0x80) {
                bytes = c;
                count = 1;
            } else if (c < 0x800) {
                bytes = (0xc0 | c >> 6) | (0x80 | c & 0x3f) << 8;
                count = 2;
            } else if (Character.isHighSurrogate(c) && i < length && Character.isLowSurrogate(value.charAt(i))) {
                int cp = Character.toCodePoint(c, value.charAt(i++));
                bytes = (0xf0 | cp >> 18)
                        | (0x80 | cp >> 12 & 0x3f) << 8
                        | (0x80 | cp >> 6 & 0x3f) << 16
                        | (0x80 | cp & 0x3f) << 24;
                count = 4;
            } else if (Character.isSurrogate(c)) {
                bytes = '?';
                count = 1;
            } else {
                bytes = (0xe0 | c >> 12) | (0x80 | c >> 6 & 0x3f) << 8 | (0x80 | c & 0x3f) << 16;
                count = 3;
            }
            for (int b = 0; b < count; b++) {
                k |= (bytes >>> (b << 3) & 0xff) << ((len & 3) << 3);
                if ((++len & 3) == 0) {
                    h = mixH(h, k);
                    k = 0;
                }
            }
        }
        return finish(h, k, len);
    }

    /** Mixes in the pending tail bytes and the length, then avalanches. */
    private static int finish(int h, int k, int len) {
        if ((len & 3) != 0) {
            h ^= mixK(k);
        }
        return fmix(h ^ len);
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
