package io.flagstore.redis.testing;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * JUnit 5 extension giving a test class one real Redis (see {@link RedisServer} for where it comes
 * from): started before the class, stopped after it, and started again before a test if a previous
 * test left it stopped. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static RedisServerExtension redis = new RedisServerExtension().withAof();
 * }</pre>
 *
 * <p>Tests share the server: use {@link #uniqueNamespace()} rather than {@link #flushAll()}. Fault
 * operations ({@link #stop()}, {@link #restart()}, {@link #crash()}) abort (skip) the calling test
 * when the server is external ({@value RedisServer#URL_ENV}). Thread-safe.
 */
public final class RedisServerExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private boolean aof;
    private boolean tls;
    private RedisServer server;

    /** A server without persistence: a restart comes back empty. */
    public RedisServerExtension() {}

    /** Persists with an append-only file ({@code appendfsync always}): data survives restarts. */
    public RedisServerExtension withAof() {
        this.aof = true;
        return this;
    }

    /** Also serves TLS ({@link #tlsUri()}) with certificates made for the test ({@link #certificates()}). */
    public RedisServerExtension withTls() {
        this.tls = true;
        return this;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (server == null) {
            RedisServer.Builder builder = RedisServer.builder();
            if (aof) {
                builder.aof();
            }
            if (tls) {
                builder.tls();
            }
            server = builder.build();
        }
        server.start();
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        if (server == null) {
            throw new IllegalStateException("RedisServerExtension must be registered on a static field");
        }
        server.start();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server, for code that takes a {@link RedisServer}. */
    public synchronized RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("Redis is only available inside the test class's lifecycle");
        }
        return server;
    }

    /** {@code redis://127.0.0.1:<port>} (or the external URL). */
    public String uri() {
        return server().uri();
    }

    /** {@code rediss://127.0.0.1:<tls port>}, with {@link #withTls()}. */
    public String tlsUri() {
        return server().tlsUri();
    }

    /** The certificates of the TLS port, with {@link #withTls()}. */
    public TestCertificates certificates() {
        return server().certificates();
    }

    /** The port, stable across restarts. */
    public int port() {
        return server().port();
    }

    /** A namespace no other test in this JVM uses, e.g. {@code t7-3fa9c2}. */
    public String uniqueNamespace() {
        return "t" + NAMESPACES.incrementAndGet() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    }

    /** Starts the server if stopped (same port and data directory). */
    public void start() {
        restartable().start();
    }

    /** Stops the server (SHUTDOWN NOSAVE, then by PID); the data directory stays. */
    public void stop() {
        restartable().stop();
    }

    /** Stop then start on the same port and data directory (AOF data survives, other data does not). */
    public void restart() {
        restartable().restart();
    }

    /** Kills the server with SIGKILL. */
    public void crash() {
        restartable().crash();
    }

    private RedisServer restartable() {
        RedisServer s = server();
        if (!s.isRestartable()) {
            throw new TestAbortedException("the server from " + RedisServer.URL_ENV + " cannot be stopped by tests");
        }
        return s;
    }

    /** Whether the server runs. */
    public boolean isRunning() {
        return server().isRunning();
    }

    /** {@code CLIENT KILL TYPE pubsub}; returns how many connections were dropped. */
    public long killPubSubClients() {
        return server().killPubSubClients();
    }

    /** Drops every client connection except the harness's own; returns how many. */
    public long killAllClients() {
        return server().killAllClients();
    }

    /** {@code FLUSHALL}. */
    public void flushAll() {
        server().flushAll();
    }

    /** One command over a fresh connection; see {@link RedisServer#execute}. */
    public Object execute(String... command) {
        return server().execute(command);
    }

    /** Commands as one MULTI/EXEC transaction; see {@link RedisServer#executeAtomically}. */
    public List<Object> executeAtomically(List<String[]> commands) {
        return server().executeAtomically(commands);
    }

    /** Runs {@code redis-cli} against the server; see {@link RedisServer#redisCli}. */
    public String redisCli(String... args) {
        return server().redisCli(args);
    }
}
