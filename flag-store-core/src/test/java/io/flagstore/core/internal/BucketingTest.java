package io.flagstore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BucketingTest {

    @Test
    void referenceImplementationMatchesPublishedMurmur3Values() {
        // Published MurmurHash3_x86_32 values (seed 0), e.g. from the SMHasher verification set.
        assertThat(ReferenceMurmur3.hash(new byte[0], 0)).isZero();
        assertThat(ReferenceMurmur3.hash(new byte[0], 1)).isEqualTo(0x514e28b7);
        assertThat(ReferenceMurmur3.hash("hello".getBytes(StandardCharsets.UTF_8), 0))
                .isEqualTo(0x248bfa47);
        assertThat(ReferenceMurmur3.hash("hello, world".getBytes(StandardCharsets.UTF_8), 0))
                .isEqualTo(0x149bbb7f);
        assertThat(ReferenceMurmur3.hash(
                        "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8), 0))
                .isEqualTo(0x2e4ff723);
    }

    @Test
    void incrementalHashEqualsKnownValuesOfTheConcatenation() {
        // "hello" = "hel" + "." + ... cannot be split, so check values whose concatenation is known.
        assertThat(Bucketing.hash("hello,", " world"))
                .isEqualTo(ReferenceMurmur3.hash("hello,. world".getBytes(StandardCharsets.UTF_8), 0));
        assertThat(Bucketing.hash("", "")).isEqualTo(ReferenceMurmur3.hash(".".getBytes(StandardCharsets.UTF_8), 0));
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 2L, 3L, 42L, 20261125L})
    void incrementalHashEqualsHashOfConcatenatedUtf8Bytes(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 5_000; i++) {
            String salt = randomString(random);
            String value = randomString(random);
            int expected = ReferenceMurmur3.hash((salt + "." + value).getBytes(StandardCharsets.UTF_8), 0);
            assertThat(Bucketing.hash(salt, value))
                    .as("seed %d, salt %s, value %s", seed, escape(salt), escape(value))
                    .isEqualTo(expected);
            assertThat(Bucketing.bucket(salt, value))
                    .as("seed %d, salt %s, value %s", seed, escape(salt), escape(value))
                    .isEqualTo(ReferenceMurmur3.bucket(salt, value))
                    .isBetween(0, Bucketing.BUCKETS - 1);
        }
    }

    @Test
    void bucketMapsTheFullHashRangeByMultiplyShift() {
        assertThat(Bucketing.bucketOf(0)).isZero();
        assertThat(Bucketing.bucketOf(-1)).isEqualTo(99_999);
        assertThat(Bucketing.bucketOf(Integer.MIN_VALUE)).isEqualTo(50_000);
    }

    /**
     * Mixes ASCII (often in long runs), 2- and 3-byte chars, surrogate pairs and unpaired surrogates,
     * of any length including empty.
     */
    static String randomString(SplittableRandom random) {
        int length = random.nextInt(random.nextBoolean() ? 12 : 40);
        int nonAsciiKinds = random.nextInt(5); // 0: ASCII only
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(3 + nonAsciiKinds)) {
                case 0, 1, 2 -> sb.append((char) random.nextInt(0x20, 0x7f));
                case 3 -> sb.append((char) random.nextInt(0x80, 0x800));
                case 4 -> sb.append((char) random.nextInt(0x800, 0xd800));
                case 5 -> sb.appendCodePoint(random.nextInt(0x10000, 0x110000));
                default -> sb.append((char) random.nextInt(0xd800, 0xe000)); // lone surrogate
            }
        }
        return sb.toString();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.chars()
                .forEach(
                        c -> sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return sb.append('"').toString();
    }
}
