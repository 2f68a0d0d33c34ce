package io.flagstore.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagstore.core.InvalidFlagException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * One writer defines the canonical form; the tree, the compact bytes a digest is taken over, the size
 * the validator limits and the pretty text must all be that form. Instances compare digests of it
 * across releases, so its bytes are pinned too.
 */
class CanonicalFormTest {
    /**
     * SHA-256 over the compact form of the flags, and of the segments, that {@link FlagGenerator}
     * makes from seeds 1 to 300, as the tree-built writer of earlier releases wrote them.
     */
    private static final String FLAGS_OF_EARLIER_RELEASES =
            "4b7f42e7dd4dbb17c4be24032e1d340f7500ceb7b2d28326bf1a95aa7277a853";

    private static final String SEGMENTS_OF_EARLIER_RELEASES =
            "fe75144c9d781ab858f87d747692856e625192210114eb346322c6fb590c7aab";

    @RepeatedTest(200)
    void theCompactBytesTheSizeAndTheTreeAreOneForm(RepetitionInfo repetition) throws IOException {
        long seed = 0xCA_0000L + repetition.getCurrentRepetition();
        FlagGenerator generator = new FlagGenerator(seed);
        Flag flag = generator.flag();
        Segment segment = generator.segment();

        AtomicBoolean closed = new AtomicBoolean();
        ByteArrayOutputStream compact = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        FlagJson.writeCompact(flag, compact);
        String tree = FlagJson.toTree(flag).toString();

        assertThat(closed).as("the caller's stream stays open").isFalse();

        assertThat(compact.toString(StandardCharsets.UTF_8)).as("seed %d", seed).isEqualTo(tree);
        assertThat(FlagJson.compactSize(flag)).as("seed %d", seed).isEqualTo(compact.size());
        assertThat(FlagJson.compactSize(segment))
                .as("seed %d", seed)
                .isEqualTo(FlagJson.segmentToTree(segment).toString().getBytes(StandardCharsets.UTF_8).length);
        assertThat(FlagJson.read(FlagJson.write(flag))).as("seed %d", seed).isEqualTo(flag);
        assertThat(FlagJson.segmentFromTree(FlagJson.segmentToTree(segment)))
                .as("seed %d", seed)
                .isEqualTo(segment);
    }

    @Test
    void theFormIsTheOneEarlierReleasesWrote() {
        MessageDigest flags = sha256();
        MessageDigest segments = sha256();
        for (long seed = 1; seed <= 300; seed++) {
            FlagGenerator generator = new FlagGenerator(seed);
            flags.update(FlagJson.toTree(generator.flag()).toString().getBytes(StandardCharsets.UTF_8));
            segments.update(
                    FlagJson.segmentToTree(generator.segment()).toString().getBytes(StandardCharsets.UTF_8));
        }

        assertThat(HexFormat.of().formatHex(flags.digest())).isEqualTo(FLAGS_OF_EARLIER_RELEASES);
        assertThat(HexFormat.of().formatHex(segments.digest())).isEqualTo(SEGMENTS_OF_EARLIER_RELEASES);
    }

    @Test
    void aDefinitionOverTheLimitIsRefusedWithItsExactSize() {
        // built, not read from text: only the validator's own size check can refuse it
        Flag flag = Flag.builder("big", FlagType.STRING)
                .variant("a", "\u0001".repeat(200_000)) // written as six-byte escapes: 1.2 MB
                .offVariant("a")
                .fallthrough(Serve.variant("a"))
                .build();
        long size = FlagJson.compactSize(flag);

        assertThat(size).isGreaterThan(1_200_000);
        assertThatThrownBy(() -> FlagJson.fromTree(FlagJson.toTree(flag)))
                .isInstanceOf(InvalidFlagException.class)
                .hasMessageContaining("flag: the JSON form is " + size + " bytes, over the limit of 1048576 bytes");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
