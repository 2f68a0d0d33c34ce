package io.flagstore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.model.FlagJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sources from a JSON document: a string, a stream, a classpath resource, a file read once. */
class JsonSourcesTest {
    private static final String RESOURCE = "io/flagstore/core/classpath-flags.json";
    private static final EvaluationContext ALICE = EvaluationContext.of("alice");
    private static final EvaluationContext BOB = EvaluationContext.of("bob");

    @TempDir
    Path dir;

    private static String resourceText() throws IOException {
        try (var in = JsonSourcesTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertServesTheSegmentRule(InMemoryFlagSource source) {
        try (FlagClient client = FlagClient.builder().source(source).build()) {
            assertThat(client.isEnabled("beta-users-only", ALICE)).isTrue();
            assertThat(client.isEnabled("beta-users-only", BOB)).isFalse();
            assertThat(client.snapshot().version()).isEqualTo(1);
        }
    }

    @Test
    void fromJsonStringHoldsFlagsAndSegmentsAsOneWrite() throws IOException {
        assertServesTheSegmentRule(InMemoryFlagSource.fromJson(resourceText()));
    }

    @Test
    void fromJsonStreamReadsUtf8ToTheEnd() throws IOException {
        byte[] bytes = resourceText().getBytes(StandardCharsets.UTF_8);
        assertServesTheSegmentRule(InMemoryFlagSource.fromJson(new ByteArrayInputStream(bytes)));
    }

    @Test
    void fromClasspathFindsTheResourceWithOrWithoutLeadingSlash() {
        assertServesTheSegmentRule(InMemoryFlagSource.fromClasspath(RESOURCE));
        assertServesTheSegmentRule(InMemoryFlagSource.fromClasspath("/" + RESOURCE));
    }

    @Test
    void aMissingResourceIsNamed() {
        assertThatThrownBy(() -> InMemoryFlagSource.fromClasspath("no/such/flags.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no/such/flags.json");
    }

    @Test
    void aDocumentNamingAMissingSegmentIsRefusedWithTheResourceName() throws IOException {
        String broken = resourceText().replace("{\"key\": \"beta\"", "{\"key\": \"gamma\"");
        assertThatThrownBy(() -> InMemoryFlagSource.fromJson(broken))
                .isInstanceOf(InvalidFlagException.class)
                .hasMessageContaining("beta");
        String name = "broken.json";
        Files.writeString(dir.resolve(name), broken);
        ClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            assertThatThrownBy(() -> InMemoryFlagSource.fromClasspath(name))
                    .isInstanceOf(InvalidFlagException.class)
                    .satisfies(e -> assertThat(((InvalidFlagException) e).problems())
                            .allSatisfy(problem -> assertThat(problem).startsWith(name + ": ")));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Test
    void invalidJsonIsRefusedWithEveryProblem() {
        assertThatThrownBy(() -> InMemoryFlagSource.fromJson("{\"flags\": [{\"key\": \"\"}, {\"enabled\": 3}]}"))
                .isInstanceOf(InvalidFlagException.class)
                .satisfies(
                        e -> assertThat(((InvalidFlagException) e).problems()).hasSizeGreaterThanOrEqualTo(2));
    }

    @Test
    void ofDocumentKeepsTheSourceWritable() throws IOException {
        InMemoryFlagSource source = InMemoryFlagSource.of(FlagJson.readDocument(resourceText()));
        try (FlagClient client = FlagClient.builder().source(source).build()) {
            source.setEnabled("beta-users-only", false);
            assertThat(client.boolDetail("beta-users-only", ALICE, true).reason())
                    .isEqualTo(Reason.DISABLED);
            assertThat(source.version()).isEqualTo(2);
        }
    }

    @Test
    void aFileSourceThatDoesNotWatchReadsOnceAndUsesNoThread() throws IOException {
        Path file = dir.resolve("flags.json");
        Files.writeString(file, resourceText());
        long threadsBefore = flagstoreThreads();
        try (FlagClient client = FlagClient.builder()
                .source(FileFlagSource.builder(file).watch(false).build())
                .build()) {
            assertThat(client.isEnabled("beta-users-only", ALICE)).isTrue();
            assertThat(client.health().state()).isEqualTo(ClientState.READY);
            assertThat(flagstoreThreads()).isEqualTo(threadsBefore);
            Files.writeString(file, "{\"flags\": []}");
            // nothing watches or polls: the first flag set stays
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> client.snapshot().size() == 1);
        }
    }

    private static long flagstoreThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("flagstore-file-"))
                .count();
    }
}
