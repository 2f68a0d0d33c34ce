package io.flagstore.redis.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command line and returns its output, failing on a non-zero exit. */
final class CliRunner {
    private CliRunner() {}

    static String run(List<String> cmd) throws IOException, InterruptedException {
        return run(cmd, null);
    }

    /** Runs {@code cmd} in {@code dir} (null: the current directory). */
    static String run(List<String> cmd, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd)
                .directory(dir == null ? null : dir.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + " from " + cmd + ": " + output);
        }
        return output.strip();
    }
}
