package io.flagstore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The vectors published in docs/bucketing.md are what the code computes, so they cannot drift. */
class BucketingVectorsTest {
    private static final Pattern ROW =
            Pattern.compile("^\\| `(\".*\")` \\| `(\".*\")` \\| `([0-9a-f]{8})` \\| (\\d+) \\|$");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Vector(String salt, String value, int hash, int bucket) {}

    static List<Vector> publishedVectors() throws IOException {
        Path doc = Path.of("..", "docs", "bucketing.md");
        List<Vector> vectors = new ArrayList<>();
        for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                vectors.add(new Vector(
                        JSON.readValue(m.group(1), String.class),
                        JSON.readValue(m.group(2), String.class),
                        Integer.parseUnsignedInt(m.group(3), 16),
                        Integer.parseInt(m.group(4))));
            }
        }
        return vectors;
    }

    @Test
    void publishedVectorsMatchTheImplementation() throws IOException {
        List<Vector> vectors = publishedVectors();

        assertThat(vectors).hasSizeGreaterThanOrEqualTo(30);
        assertThat(vectors).anyMatch(v -> v.salt().isEmpty() && v.value().isEmpty());
        assertThat(vectors).anyMatch(v -> v.value().codePoints().anyMatch(Character::isSupplementaryCodePoint));
        for (Vector v : vectors) {
            assertThat(Bucketing.hash(v.salt(), v.value())).as("hash of %s", v).isEqualTo(v.hash());
            assertThat(ReferenceMurmur3.hash((v.salt() + "." + v.value()).getBytes(StandardCharsets.UTF_8), 0))
                    .as("reference hash of %s", v)
                    .isEqualTo(v.hash());
            assertThat(Bucketing.bucket(v.salt(), v.value()))
                    .as("bucket of %s", v)
                    .isEqualTo(v.bucket());
        }
    }
}
