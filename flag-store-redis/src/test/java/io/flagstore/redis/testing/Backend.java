package io.flagstore.redis.testing;

import java.io.IOException;
import java.util.List;

/** Where a {@link RedisServer} runs: a local process, a container, or an external server. */
interface Backend {
    /** Starts the server (on the same port and data directory as before, when restarting). */
    void start();

    /** Stops the server; a no-op when it is not running. */
    void stop();

    /** Kills the server without a shutdown (SIGKILL), like a crash. */
    void crash();

    boolean running();

    String host();

    int port();

    /** {@code redis://...} for clients, credentials included when the server needs them. */
    String uri();

    /** {@code rediss://...} of the TLS port; only local servers started with TLS have one. */
    default String tlsUri() {
        throw new UnsupportedOperationException("TLS needs a local redis-server (" + this + ")");
    }

    /** The certificates a TLS server uses; only local servers started with TLS have them. */
    default TestCertificates certificates() {
        throw new UnsupportedOperationException("TLS needs a local redis-server (" + this + ")");
    }

    /** Whether {@link #start()}/{@link #stop()} are possible (not for an external server). */
    boolean restartable();

    /** Runs {@code redis-cli} against the server and returns its standard output. */
    String redisCli(String... args) throws IOException, InterruptedException;

    /** One command over a fresh connection. */
    default Object call(String... args) throws IOException {
        List<Object> replies = pipeline(List.<String[]>of(args));
        return replies.get(0);
    }

    /** Several commands on one connection, replies in order. */
    default List<Object> pipeline(List<String[]> commands) throws IOException {
        return Resp.pipeline(host(), port(), null, null, commands);
    }

    /** Releases everything (temporary files, containers); the backend is unusable afterwards. */
    void close();
}
