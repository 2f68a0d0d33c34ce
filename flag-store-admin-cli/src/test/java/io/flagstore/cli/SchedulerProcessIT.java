package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flagstore.redis.testing.RedisServerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two {@code flagctl scheduler} processes (the packaged jar) share the work; SIGTERM stops them. */
class SchedulerProcessIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private static final Path JAR =
            Path.of("").toAbsolutePath().getParent().resolve("flag-store-admin-cli/target/flagctl.jar");
    private static final Pattern APPLIED = Pattern.compile("^applied (\\w+): ", Pattern.MULTILINE);

    @Test
    void twoSchedulerProcessesApplyEachChangeOnceAndStopOnSigterm(@TempDir Path dir) throws Exception {
        String namespace = redis.uniqueNamespace();
        Map<String, String> env = Cli.env(redis.uri(), namespace);
        List<Process> schedulers = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Path out = dir.resolve("scheduler-" + i + ".txt");
                outputs.add(out);
                schedulers.add(new ProcessBuilder(
                                "java",
                                "-jar",
                                JAR.toString(),
                                "scheduler",
                                "--interval",
                                "50ms",
                                "--redis",
                                redis.uri(),
                                "--namespace",
                                namespace)
                        .redirectOutput(out.toFile())
                        .redirectError(dir.resolve("scheduler-" + i + ".err").toFile())
                        .start());
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                assertThat(Cli.run(env, Cli.NO_TERMINAL, "create", "f" + i).exitCode())
                        .isZero();
                Cli.Result r = Cli.run(env, Cli.NO_TERMINAL, "schedule", "disable", "f" + i, "--at", "+2s", "--json");
                ids.add(r.json().get("scheduled").get(0).get("id").asText());
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> applied(outputs).size() == ids.size());

            Map<String, Integer> counts = new HashMap<>();
            applied(outputs).forEach(id -> counts.merge(id, 1, Integer::sum));
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(counts.values()).allMatch(n -> n == 1);
        } finally {
            for (Process p : schedulers) {
                p.destroy(); // SIGTERM
            }
        }
        for (Process p : schedulers) {
            assertThat(p.waitFor(15, TimeUnit.SECONDS))
                    .as("scheduler stopped on SIGTERM")
                    .isTrue();
        }
    }

    private static List<String> applied(List<Path> outputs) {
        List<String> ids = new ArrayList<>();
        for (Path out : outputs) {
            try {
                Matcher m = APPLIED.matcher(Files.readString(out, StandardCharsets.UTF_8));
                while (m.find()) {
                    ids.add(m.group(1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ids;
    }
}
