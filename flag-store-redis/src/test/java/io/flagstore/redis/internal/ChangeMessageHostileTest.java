package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whatever is published on the change channel, {@link ChangeMessage#decode} returns a message or
 * throws {@code IllegalArgumentException("malformed change message: ...")} on one line; never
 * another exception. Seeded; failures name the seed.
 */
class ChangeMessageHostileTest {
    private static final long SEED = Long.getLong("flagstore.fuzz.seed", 0x20261125L);
    private static final String[] VALUES = {
        "null",
        "true",
        "-1",
        "0",
        "1",
        "1e400",
        "-1e400",
        "1.5",
        "99999999999999999999999",
        "\"\"",
        "\"x\"",
        "[]",
        "{}",
        "[null]",
        "[1]",
        "[{\"key\":1}]",
        "[{\"nokey\":\"a\"}]",
        "[\"a\",2]",
        "\"\\u0000\"",
        "[[[[[[[[[[1]]]]]]]]]]"
    };
    private static final String[] FIELDS = {
        "v", "epoch", "ts", "op", "actor", "flags", "deleted", "segments", "deletedSegments"
    };

    @Test
    void anythingPublishedDecodesOrIsRefusedOnOneLine() {
        String valid = ChangeMessage.header(7, "e-1", 1_700_000_000_000L)
                + ChangeMessage.body(
                        "update",
                        "alice",
                        List.of(FlagJson.toTree(Flag.killSwitch("k"))),
                        List.of("gone"),
                        List.of(),
                        List.of());
        assertThat(ChangeMessage.decode(valid).version()).isEqualTo(7);
        for (int i = 0; i < 3_000; i++) {
            long seed = SEED + i;
            SplittableRandom r = new SplittableRandom(seed);
            String json =
                    switch (r.nextInt(4)) {
                        case 0 -> {
                            byte[] bytes = new byte[r.nextInt(200)];
                            r.nextBytes(bytes);
                            yield new String(bytes, StandardCharsets.UTF_8);
                        }
                        case 1 -> valid.substring(0, r.nextInt(valid.length()));
                        case 2 -> "[".repeat(r.nextInt(1, 100_000));
                        default -> {
                            StringBuilder sb = new StringBuilder("{");
                            for (String field : FIELDS) {
                                if (r.nextInt(4) != 0) {
                                    sb.append('"').append(field).append("\":");
                                    sb.append(VALUES[r.nextInt(VALUES.length)]).append(',');
                                }
                            }
                            yield sb.append("\"x\":0}").toString();
                        }
                    };
            try {
                ChangeMessage m = ChangeMessage.decode(json);
                assertThat(m.version()).as("seed %d: %s", seed, json).isPositive();
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage())
                        .as("seed %d", seed)
                        .startsWith("malformed change message: ")
                        .doesNotContainPattern("[\\x00-\\x1F]")
                        .hasSizeLessThan(1_500);
            } catch (RuntimeException | StackOverflowError e) {
                fail("seed " + seed + ": " + e + " decoding " + json, e);
            }
        }
    }
}
