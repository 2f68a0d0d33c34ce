package io.flagstore.redis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis for tests and benchmarks: a {@code redis-server} child process from PATH on a free
 * 127.0.0.1 port in a temporary directory; else a Docker container (Testcontainers) when a Docker
 * engine works; or the server named by {@value #URL_ENV} when that variable is set (it wins).
 * Without persistence ({@code --save ''}) unless {@link Builder#aof()} asks for an append-only file
 * with {@code appendfsync always}, so every acknowledged write survives a restart. {@link Builder#tls()}
 * adds a TLS port with certificates generated for the test (a local {@code redis-server} only).
 *
 * <p>JUnit tests use {@link RedisServerExtension}; this class is for code without JUnit (benchmarks).
 * Thread-safe.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.builder().aof().build()) {
 *     redis.start();
 *     connect(redis.uri());
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {
    /** Environment variable naming an existing server to use instead of starting one. */
    public static final String URL_ENV = "FLAGSTORE_TEST_REDIS_URL";

    private final boolean aof;
    private final boolean tls;
    private Backend backend;

    private RedisServer(boolean aof, boolean tls) {
        this.aof = aof;
        this.tls = tls;
    }

    /** A builder for a server without persistence. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for a {@link RedisServer}. Not thread-safe. */
    public static final class Builder {
        private boolean aof;
        private boolean tls;

        private Builder() {}

        /** Persist with an append-only file, fsynced on every write, kept across restarts. */
        public Builder aof() {
            this.aof = true;
            return this;
        }

        /**
         * Also serve TLS on a second port ({@link RedisServer#tlsUri()}), with a server certificate
         * for 127.0.0.1 signed by a test CA ({@link RedisServer#certificates()}); needs redis-server
         * on PATH and openssl, and ignores {@value RedisServer#URL_ENV}.
         */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** A server that is not started yet. */
        public RedisServer build() {
            return new RedisServer(aof, tls);
        }
    }

    /**
     * Starts the server, or does nothing when it runs. A restart keeps the port and the data
     * directory.
     *
     * @throws IllegalStateException when no Redis can be had, naming how to get one
     */
    public synchronized void start() {
        if (backend == null) {
            backend = chooseBackend();
        }
        backend.start();
    }

    private Backend chooseBackend() {
        if (tls) {
            Path binary = LocalBackend.findOnPath("redis-server");
            if (binary == null) {
                throw new IllegalStateException("TLS tests need redis-server on PATH (apt-get install redis-server)");
            }
            return new LocalBackend(binary, aof, true);
        }
        String url = System.getenv(URL_ENV);
        if (url != null && !url.isBlank()) {
            return new ExternalBackend(url.strip());
        }
        Path binary = LocalBackend.findOnPath("redis-server");
        if (binary != null) {
            return new LocalBackend(binary, aof, false);
        }
        if (ContainerBackend.available()) {
            return new ContainerBackend(aof);
        }
        throw new IllegalStateException("redis-server not found on PATH and no Docker engine available; install it"
                + " (apt-get install redis-server) or set " + URL_ENV + " (e.g. redis://127.0.0.1:6379)");
    }

    /**
     * Stops the server (SHUTDOWN NOSAVE, then the process is destroyed by PID if it lingers); its
     * data directory stays for {@link #start()}.
     *
     * @throws UnsupportedOperationException for an external server
     */
    public synchronized void stop() {
        backend().stop();
    }

    /** Kills the server with SIGKILL (a crash: no shutdown, no final fsync beyond the AOF policy). */
    public synchronized void crash() {
        backend().crash();
    }

    /** {@link #stop()} then {@link #start()}: same port, same data directory. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Whether the server process runs. */
    public synchronized boolean isRunning() {
        return backend != null && backend.running();
    }

    /** Whether {@link #stop()}/{@link #start()} are supported (not for {@value #URL_ENV}). */
    public synchronized boolean isRestartable() {
        return backend().restartable();
    }

    /** The URI clients connect with, e.g. {@code redis://127.0.0.1:6400}. */
    public synchronized String uri() {
        return backend().uri();
    }

    /** {@code rediss://127.0.0.1:<tls port>} of a server built with {@link Builder#tls()}. */
    public synchronized String tlsUri() {
        return backend().tlsUri();
    }

    /** The certificates of a server built with {@link Builder#tls()}. */
    public synchronized TestCertificates certificates() {
        return backend().certificates();
    }

    /** The server's host (127.0.0.1 unless external). */
    public synchronized String host() {
        return backend().host();
    }

    /** The server's port; stable across restarts. */
    public synchronized int port() {
        return backend().port();
    }

    /**
     * Runs one command over a fresh connection and returns the reply ({@code String}, {@code Long},
     * {@code List<Object>} or {@code null}).
     *
     * @throws IllegalStateException when the server answers with an error
     * @throws UncheckedIOException when it cannot be reached
     */
    public Object execute(String... command) {
        return pipeline(List.<String[]>of(command), "the command " + List.of(command))
                .get(0);
    }

    /**
     * Runs commands as one transaction ({@code MULTI} ... {@code EXEC}) and returns their replies:
     * nothing else happens in between, e.g. a write lands before a killed client can reconnect.
     *
     * @throws IllegalStateException when a command is refused
     */
    public List<Object> executeAtomically(List<String[]> commands) {
        List<String[]> transaction = new ArrayList<>();
        transaction.add(new String[] {"MULTI"});
        transaction.addAll(commands);
        transaction.add(new String[] {"EXEC"});
        List<Object> replies = pipeline(transaction, "the transaction");
        @SuppressWarnings("unchecked")
        List<Object> results = (List<Object>) replies.get(replies.size() - 1);
        for (Object result : results) {
            if (result instanceof Resp.ErrorReply e) {
                throw new IllegalStateException("Redis refused a command of the transaction: " + e.getMessage(), e);
            }
        }
        return results;
    }

    private List<Object> pipeline(List<String[]> commands, String what) {
        Backend b = current();
        try {
            return b.pipeline(commands);
        } catch (Resp.ErrorReply e) {
            throw new IllegalStateException("Redis refused " + what + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Redis at " + b + " unreachable", e);
        }
    }

    /** {@code CLIENT KILL TYPE pubsub}: drops every subscriber connection; returns how many. */
    public long killPubSubClients() {
        return (Long) execute("CLIENT", "KILL", "TYPE", "pubsub");
    }

    /** Drops every client connection (normal and pub/sub) except the harness's own; returns how many. */
    public long killAllClients() {
        return (Long) execute("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes") + killPubSubClients();
    }

    /** {@code FLUSHALL}; prefer unique namespaces per test. */
    public void flushAll() {
        execute("FLUSHALL");
    }

    /**
     * Runs {@code redis-cli} against the server from outside the JVM (for tests that act like an
     * operator) and returns its standard output, stripped.
     *
     * @throws IllegalStateException when redis-cli fails or is missing
     */
    public String redisCli(String... args) {
        try {
            return current().redisCli(args);
        } catch (IOException e) {
            throw new IllegalStateException("redis-cli failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running redis-cli", e);
        }
    }

    private synchronized Backend current() {
        return backend();
    }

    private Backend backend() {
        if (backend == null) {
            throw new IllegalStateException("Redis not started yet");
        }
        return backend;
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public synchronized void close() {
        if (backend != null) {
            if (backend.restartable()) {
                backend.close();
            }
            backend = null;
        }
    }

    @Override
    public synchronized String toString() {
        return backend == null ? "RedisServer (not started)" : backend.toString();
    }
}
