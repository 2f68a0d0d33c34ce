package io.flagstore.redis.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} child process from PATH, on a free loopback port, in a temporary directory;
 * optionally also serving TLS on a second port (the plain port stays for the harness's own commands).
 */
public final class LocalBackend extends LoopbackBackend {
    private static final long START_TIMEOUT_MS = 10_000;

    private final Path binary;
    private final boolean aof;
    private final boolean tls;
    private final List<String> extraArgs;
    private int tlsPort;
    private TestCertificates certificates;
    private Process process;

    LocalBackend(Path binary, boolean aof, boolean tls) {
        this(binary, aof, tls, List.of());
    }

    /** A server started with {@code extraArgs} added to its command line (e.g. cluster settings). */
    LocalBackend(Path binary, boolean aof, boolean tls, List<String> extraArgs) {
        this.binary = binary;
        this.aof = aof;
        this.tls = tls;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** {@code redis-server} from PATH, or {@code null}. */
    public static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public synchronized void start() {
        if (running()) {
            return;
        }
        try {
            if (createDirOnce() && tls) {
                certificates = TestCertificates.generate(dir.resolve("tls"));
            }
            // A first start may lose the free port to another process between probe and bind: retry.
            boolean firstStart = port == 0;
            for (int attempt = 1; ; attempt++) {
                if (firstStart) {
                    port = freePort();
                    tlsPort = tls ? freePort() : 0;
                }
                if (launch()) {
                    return;
                }
                if (!firstStart || attempt == 3) {
                    throw new IllegalStateException("redis-server did not start on 127.0.0.1:" + port + " (" + dir
                            + "); log tail:\n" + logTail());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not start redis-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting redis-server", e);
        }
    }

    /**
     * The command line of a test server on loopback {@code port}, working in {@code dir}, logging to
     * {@code redis.log} there, without RDB snapshots; callers add to it (persistence, replication).
     */
    public static List<String> serverCommand(Path binary, int port, Path dir) {
        return new ArrayList<>(List.of(
                binary.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--logfile",
                "redis.log",
                "--daemonize",
                "no",
                "--save",
                ""));
    }

    private boolean launch() throws IOException, InterruptedException {
        List<String> cmd = serverCommand(binary, port, dir);
        cmd.addAll(List.of("--appendonly", aof ? "yes" : "no"));
        cmd.addAll(extraArgs);
        if (aof) {
            // Every acknowledged write is on disk before the reply, so a restart loses nothing.
            cmd.addAll(List.of("--appendfsync", "always"));
        }
        if (tls) {
            TestCertificates.KeyPair server = certificates.server();
            cmd.addAll(List.of(
                    "--tls-port",
                    Integer.toString(tlsPort),
                    "--tls-cert-file",
                    server.certificate().toString(),
                    "--tls-key-file",
                    server.key().toString(),
                    "--tls-ca-cert-file",
                    certificates.ca().toString(),
                    "--tls-auth-clients",
                    "no"));
        }
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                if ("PONG".equals(call("PING"))) {
                    return true;
                }
            } catch (IOException | Resp.ErrorReply e) {
                // not accepting yet (or still loading the AOF): poll again
            }
            Thread.sleep(5);
        }
        destroy();
        return false;
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("redis.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized void stop() {
        if (!running()) {
            return;
        }
        try {
            call("SHUTDOWN", "NOSAVE");
        } catch (IOException | Resp.ErrorReply e) {
            // expected: the server closes the connection instead of replying
        }
        destroy();
    }

    @Override
    public synchronized void crash() {
        if (running()) {
            process.destroyForcibly();
            awaitExit(5);
        }
    }

    private void destroy() {
        if (!awaitExit(5)) {
            process.destroy();
            if (!awaitExit(2)) {
                process.destroyForcibly();
                awaitExit(5);
            }
        }
    }

    private boolean awaitExit(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    @Override
    public String redisCli(String... args) throws IOException, InterruptedException {
        Path cli = findOnPath("redis-cli");
        if (cli == null) {
            throw new IllegalStateException("redis-cli not found on PATH; install it (apt-get install redis-tools)");
        }
        List<String> cmd = new ArrayList<>(List.of(cli.toString(), "-h", host(), "-p", Integer.toString(port())));
        cmd.addAll(List.of(args));
        return CliRunner.run(cmd);
    }

    @Override
    public synchronized String tlsUri() {
        if (!tls) {
            throw new IllegalStateException("this redis-server was started without TLS");
        }
        return "rediss://127.0.0.1:" + tlsPort;
    }

    @Override
    public synchronized TestCertificates certificates() {
        if (!tls) {
            throw new IllegalStateException("this redis-server was started without TLS");
        }
        return certificates;
    }

    @Override
    public synchronized void close() {
        stop();
        deleteDir();
    }

    @Override
    public String toString() {
        return "redis-server " + binary + " on 127.0.0.1:" + port + " in " + dir + (aof ? " (AOF)" : "")
                + (tls ? " (TLS on " + tlsPort + ")" : "");
    }
}
