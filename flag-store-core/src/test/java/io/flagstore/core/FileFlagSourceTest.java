package io.flagstore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFlagSourceTest {
    private static final EvaluationContext ALICE = EvaluationContext.of("alice");

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("flags.json");
    }

    private static String document(boolean a, String... more) {
        StringBuilder json = new StringBuilder("{\"flags\":[{\"key\":\"a\",\"enabled\":" + a + "}");
        for (String key : more) {
            json.append(",{\"key\":\"").append(key).append("\",\"enabled\":true}");
        }
        return json.append("]}").toString();
    }

    private FlagClient client(Path file) {
        return FlagClient.builder()
                .source(FileFlagSource.builder(file)
                        .pollInterval(Duration.ofMillis(100))
                        .debounce(Duration.ofMillis(10))
                        .build())
                .startTimeout(Duration.ofSeconds(2))
                .build();
    }

    @Test
    void loadsTheFileBeforeBuildReturns() throws IOException {
        Files.writeString(file(), document(true, "b"));
        try (FlagClient client = client(file())) {
            assertThat(client.isEnabled("a", ALICE)).isTrue();
            assertThat(client.isEnabled("b", ALICE)).isTrue();
            assertThat(client.health().state()).isEqualTo(ClientState.READY);
            assertThat(client.snapshot().version()).isEqualTo(1);
        }
    }

    @Test
    void reloadsWhenTheFileChangesAndOnlyChangedFlagsGetNewVersions() throws IOException {
        Files.writeString(file(), document(true, "b"));
        try (FlagClient client = client(file())) {
            List<String> changed = new CopyOnWriteArrayList<>();
            client.onChange(event -> changed.add(event.key()));
            Files.writeString(file(), document(false, "b"));

            await().until(() -> !client.isEnabled("a", ALICE));
            assertThat(client.snapshot().version()).isEqualTo(2);
            assertThat(client.snapshot().flag("a").orElseThrow().version()).isEqualTo(2);
            assertThat(client.snapshot().flag("b").orElseThrow().version()).isEqualTo(1);
            await().until(() -> changed.size() == 1);
            assertThat(changed).containsExactly("a");
        }
    }

    @Test
    void removedFlagsAreDeleted() throws IOException {
        Files.writeString(file(), document(true, "b"));
        try (FlagClient client = client(file())) {
            Files.writeString(file(), document(true));
            await().until(() -> client.snapshot().flag("b").isEmpty());
            assertThat(client.boolDetail("b", ALICE, false).errorKind()).isEqualTo(ErrorKind.FLAG_NOT_FOUND);
        }
    }

    @Test
    void anInvalidEditKeepsTheLastGoodFlagsAndReportsStale() throws IOException {
        Files.writeString(file(), document(true));
        try (FlagClient client = client(file())) {
            Files.writeString(file(), "{\"flags\":[{\"enabled\":false}]}");
            await().until(() -> client.health().state() == ClientState.STALE);
            assertThat(client.health().message()).contains("flags.json");
            assertThat(client.isEnabled("a", ALICE)).isTrue();

            Files.writeString(file(), "{ not json");
            Files.writeString(file(), document(false));
            await().until(() -> client.health().state() == ClientState.READY);
            assertThat(client.isEnabled("a", ALICE)).isFalse();
        }
    }

    @Test
    void anAtomicRenameOverTheFileIsPickedUp() throws IOException {
        Files.writeString(file(), document(true));
        try (FlagClient client = client(file())) {
            Path temp = dir.resolve(".flags.json.tmp");
            Files.writeString(temp, document(false, "renamed"));
            Files.move(temp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            await().until(() -> client.isEnabled("renamed", ALICE));
            assertThat(client.isEnabled("a", ALICE)).isFalse();
        }
    }

    @Test
    void aDeletedFileKeepsTheLastGoodFlagsUntilItReturns() throws IOException {
        Files.writeString(file(), document(true));
        try (FlagClient client = client(file())) {
            Files.delete(file());
            await().until(() -> client.health().state() == ClientState.STALE);
            assertThat(client.health().message()).contains("does not exist");
            assertThat(client.isEnabled("a", ALICE)).isTrue();

            Files.write(file(), document(true).getBytes(StandardCharsets.UTF_8));
            await().until(() -> client.health().state() == ClientState.READY);
        }
    }

    @Test
    void aMissingFileAtStartServesDefaultsUntilItAppears() throws IOException {
        FlagClient client = FlagClient.builder()
                .source(FileFlagSource.builder(file())
                        .pollInterval(Duration.ofMillis(50))
                        .build())
                .startTimeout(Duration.ZERO)
                .build();
        try (client) {
            assertThat(client.health().state()).isEqualTo(ClientState.INITIALIZING);
            assertThat(client.boolDetail("a", ALICE, false).errorKind()).isEqualTo(ErrorKind.NOT_READY);
            Files.writeString(file(), document(true));
            await().until(() -> client.isEnabled("a", ALICE));
            assertThat(client.health().state()).isEqualTo(ClientState.READY);
        }
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> FileFlagSource.builder(file()).pollInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pollInterval");
        assertThatThrownBy(() -> FileFlagSource.builder(file()).debounce(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("debounce");
    }
}
