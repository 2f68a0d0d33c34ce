package io.flagstore.core.internal;

import java.nio.charset.StandardCharsets;

/** The textbook MurmurHash3 x86 32-bit over a byte[], to check the incremental one against. */
final class ReferenceMurmur3 {
    private ReferenceMurmur3() {}

    static int hash(byte[] data, int seed) {
        int h = seed;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int k = (data[4 * i] & 0xff)
                    | (data[4 * i + 1] & 0xff) << 8
                    | (data[4 * i + 2] & 0xff) << 16
                    | (data[4 * i + 3] & 0xff) << 24;
            k *= 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15);
            k *= 0x1b873593;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int tail = blocks * 4;
        if (tail < data.length) {
            int k = 0;
            for (int i = data.length - 1; i >= tail; i--) {
                k = k << 8 | data[i] & 0xff;
            }
            k *= 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15);
            k *= 0x1b873593;
            h ^= k;
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** The bucketing of docs/bucketing.md spelled out the slow way: concatenate, encode, hash, multiply-shift. */
    static int bucket(String salt, String bucketValue) {
        int h = hash((salt + "." + bucketValue).getBytes(StandardCharsets.UTF_8), 0);
        return (int) (((h & 0xffffffffL) * 100000) >>> 32);
    }
}
