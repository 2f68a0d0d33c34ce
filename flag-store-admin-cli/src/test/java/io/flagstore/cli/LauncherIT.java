package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.redis.testing.RedisServerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** bin/flagctl runs the packaged jar (integration tests run after {@code package}). */
class LauncherIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    record Run(int exitCode, String out, String err) {}

    private static Run flagctl(Path cdsDir, String... args) throws IOException, InterruptedException {
        Path jar = cdsDir.resolve("flagctl.jar");
        if (!Files.exists(jar)) {
            // a private copy, so the AppCDS archive the launcher makes lands in the temp dir
            Files.copy(ROOT.resolve("flag-store-admin-cli/target/flagctl.jar"), jar);
        }
        Path out = cdsDir.resolve("out.txt");
        Path err = cdsDir.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(
                        concat(ROOT.resolve("bin/flagctl").toString(), args))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("FLAGCTL_JAR", jar.toString());
        pb.environment().remove(Flagctl.ENV_REDIS);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("flagctl finished").isTrue();
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static List<String> concat(String first, String... rest) {
        List<String> list = new java.util.ArrayList<>(List.of(first));
        list.addAll(List.of(rest));
        return list;
    }

    @Test
    void launcherRunsTheShadedJarAndCreatesTheAppCdsArchive(@TempDir Path dir) throws Exception {
        Run help = flagctl(dir, "--help");
        assertThat(help.exitCode()).as(help.err()).isZero();
        assertThat(help.out()).contains("Usage: flagctl", "disable", "Exit codes:");
        assertThat(dir.resolve("flagctl.jsa")).as("archive made on first run").exists();

        Run status = flagctl(dir, "status", "--json", "--redis", redis.uri(), "--namespace", redis.uniqueNamespace());
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.err()).isEmpty();
        assertThat(Json.read(status.out()).get("reachable").asBoolean()).isTrue();
    }

    @Test
    void anUnreachableRedisIsExitFiveWithTwoLinesOnStderr(@TempDir Path dir) throws Exception {
        Run r = flagctl(dir, "list", "--redis", "redis://u:Sekr1t@127.0.0.1:1");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.err().lines().toList()).hasSize(2);
        assertThat(r.err()).startsWith("flagctl: error: cannot reach Redis").doesNotContain("Sekr1t");
    }
}
