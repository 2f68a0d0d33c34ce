package io.flagstore.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.flagstore.core.InvalidFlagException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-written invalid documents under {@code src/test/resources/invalid}: {@code NAME.json} is read
 * as a flag, or as a segment or document when NAME starts with {@code segment-} or {@code document-};
 * {@code NAME.expected} has one line per problem that must be reported, each a fragment of exactly
 * one problem, and no other problem may be reported.
 */
class InvalidCorpusTest {
    private static final Path CORPUS = Path.of("src", "test", "resources", "invalid");

    static Stream<String> documents() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @Test
    void corpusIsNotEmpty() throws IOException {
        assertThat(documents()).hasSizeGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest
    @MethodSource("documents")
    void everyMistakeIsReportedOnceWithItsField(String name) throws IOException {
        String json = Files.readString(CORPUS.resolve(name + ".json"), StandardCharsets.UTF_8);
        List<String> expected = Files.readAllLines(CORPUS.resolve(name + ".expected"), StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank())
                .toList();

        InvalidFlagException e = catchThrowableOfType(InvalidFlagException.class, () -> read(name, json));

        assertThat(e).as("%s was accepted", name).isNotNull();
        List<String> unmatched = new ArrayList<>(e.problems());
        for (String fragment : expected) {
            String match = unmatched.stream()
                    .filter(p -> p.contains(fragment))
                    .findFirst()
                    .orElse(null);
            assertThat(match)
                    .as("%s: no problem contains [%s] in %s", name, fragment, e.problems())
                    .isNotNull();
            unmatched.remove(match);
        }
        assertThat(unmatched).as("%s: unexpected problems", name).isEmpty();
    }

    private static Object read(String name, String json) {
        if (name.startsWith("segment-")) {
            return FlagJson.readSegment(json);
        }
        return name.startsWith("document-") ? FlagJson.readDocument(json) : FlagJson.read(json);
    }
}
