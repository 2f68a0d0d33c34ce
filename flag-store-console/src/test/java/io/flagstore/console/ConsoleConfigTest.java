package io.flagstore.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleConfigTest {
    @Test
    void flagsWinOverTheEnvironmentAndDefaultsAreSafe() {
        ConsoleConfig config = ConsoleConfig.parse(
                List.of("--users", "users.txt", "--namespaces=prod,staging"),
                Map.of("FLAGSTORE_NAMESPACES", "other", "CONSOLE_PORT", "9000"));
        assertThat(config.namespaces).containsExactly("prod", "staging");
        assertThat(config.port).isEqualTo(9000);
        assertThat(config.bind).isEqualTo("127.0.0.1");
        assertThat(config.publicUrl.toString()).isEqualTo("http://127.0.0.1:9000");
        assertThat(config.sessionIdle).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void refusesToStartWithoutAWayToSignIn() {
        assertThatThrownBy(() -> ConsoleConfig.parse(List.of(), Map.of())).hasMessageContaining("no way to log in");
    }

    @Test
    void namesTheBadOption() {
        assertThatThrownBy(() -> ConsoleConfig.parse(List.of("--users", "u", "--colour", "red"), Map.of()))
                .hasMessageContaining("--colour");
        assertThatThrownBy(() -> ConsoleConfig.parse(List.of("--users", "u", "--session-idle", "soon"), Map.of()))
                .hasMessageContaining("--session-idle");
        assertThatThrownBy(() -> ConsoleConfig.parse(List.of("--oidc-issuer", "https://id.example"), Map.of()))
                .hasMessageContaining("--oidc-client-id");
    }

    @Test
    void theSecretNeverShowsInTheDescription() {
        ConsoleConfig config =
                ConsoleConfig.parse(List.of("--redis", "redis://u:hunter2@127.0.0.1:6379", "--users", "u"), Map.of());
        assertThat(config.toString()).doesNotContain("hunter2");
    }
}
