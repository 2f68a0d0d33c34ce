package io.flagstore.redis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class a real Redis Sentinel deployment: a master, one replica and
 * three sentinels (quorum 2, {@code down-after-milliseconds} 1000), each a {@code redis-server} child
 * process from PATH on a free 127.0.0.1 port in its own temporary directory. Started before the class,
 * once the sentinels agree on the master and see the replica and each other; every process it started
 * is stopped by PID after the class. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static RedisSentinelExtension sentinel = new RedisSentinelExtension();
 * ...
 * RedisOptions.of(sentinel.uri()); // redis-sentinel://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3#flagstore
 * }</pre>
 *
 * <p>{@link #failover()} asks the sentinels for a coordinated failover; {@link #killMaster()} kills the
 * master with SIGKILL and {@link #awaitNewMaster(int)} waits for the automatic one. Thread-safe.
 */
public final class RedisSentinelExtension implements BeforeAllCallback, AfterAllCallback {
    /** The master name of the sentinels' {@code sentinel monitor} line. */
    public static final String MASTER_NAME = "flagstore";

    private static final long TIMEOUT_MS = 20_000;

    private final List<Node> dataNodes = new ArrayList<>();
    private final List<Node> sentinels = new ArrayList<>();
    private String sentinelPassword;

    /**
     * Protects the sentinels with {@code requirepass} (they authenticate to each other with it too);
     * clients then need {@code RedisOptions.Builder.sentinelCredentials(null, password)}.
     */
    public RedisSentinelExtension withSentinelPassword(String password) {
        this.sentinelPassword = password;
        return this;
    }

    /** One redis-server process (data node or sentinel) the harness owns. */
    private static final class Node {
        final int port;
        final Path dir;
        final String password; // what AUTH needs, or null
        List<String> command;
        Process process;

        Node(int port, Path dir, List<String> command, String password) {
            this.port = port;
            this.dir = dir;
            this.command = command;
            this.password = password;
        }

        void start() {
            try {
                process = new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + command, e);
            }
            await("redis-server on port " + port + " answers PING", () -> {
                try {
                    return "PONG"
                            .equals(Resp.pipeline(
                                            "127.0.0.1", port, null, password, List.<String[]>of(new String[] {"PING"}))
                                    .get(0));
                } catch (IOException | Resp.ErrorReply e) {
                    return false;
                }
            });
        }

        boolean running() {
            return process != null && process.isAlive();
        }

        void kill() {
            if (running()) {
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws IOException {
        if (!dataNodes.isEmpty()) {
            return;
        }
        Path binary = LocalBackend.findOnPath("redis-server");
        if (binary == null) {
            throw new IllegalStateException("Sentinel tests need redis-server on PATH (apt-get install redis-server)");
        }
        try {
            Node master = dataNode(binary, null);
            dataNodes.add(master);
            dataNodes.add(dataNode(binary, master.port));
            for (int i = 0; i < 3; i++) {
                sentinels.add(sentinel(binary, master.port, sentinelPassword));
            }
            await("the replica is in sync", () -> info(dataNodes.get(1).port).contains("master_link_status:up"));
            await("every sentinel sees the master, the replica and the other two sentinels", () -> sentinels.stream()
                    .allMatch(s -> {
                        Map<String, String> m = sentinelMaster(s.port);
                        return m != null
                                && Integer.toString(master.port).equals(m.get("port"))
                                && "1".equals(m.get("num-slaves"))
                                && "2".equals(m.get("num-other-sentinels"));
                    }));
        } catch (RuntimeException | IOException e) {
            afterAll(context);
            throw e;
        }
    }

    private static Node dataNode(Path binary, Integer replicaOf) throws IOException {
        Path dir = Files.createTempDirectory("flagstore-sentinel-data-");
        int port = LoopbackBackend.freePort();
        List<String> cmd = LocalBackend.serverCommand(binary, port, dir);
        cmd.addAll(List.of(
                "--appendonly",
                "no",
                // a fresh replica syncs at once, without a temporary RDB file
                "--repl-diskless-sync",
                "yes",
                "--repl-diskless-sync-delay",
                "0"));
        if (replicaOf != null) {
            cmd.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(replicaOf)));
        }
        Node node = new Node(port, dir, cmd, null);
        node.start();
        return node;
    }

    private static Node sentinel(Path binary, int masterPort, String password) throws IOException {
        Path dir = Files.createTempDirectory("flagstore-sentinel-");
        int port = LoopbackBackend.freePort();
        Path conf = dir.resolve("sentinel.conf"); // the sentinel rewrites it: it must be its own, writable
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "port " + port,
                        "bind 127.0.0.1",
                        "dir " + dir,
                        "logfile sentinel.log",
                        "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 2",
                        "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                        "sentinel failover-timeout " + MASTER_NAME + " 5000",
                        "sentinel parallel-syncs " + MASTER_NAME + " 1",
                        password == null ? "" : "requirepass " + password,
                        ""),
                StandardCharsets.UTF_8);
        Node node = new Node(port, dir, List.of(binary.toString(), conf.toString(), "--sentinel"), password);
        node.start();
        return node;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        Stream.concat(sentinels.stream(), dataNodes.stream()).forEach(node -> {
            node.kill();
            deleteDir(node.dir);
        });
        sentinels.clear();
        dataNodes.clear();
    }

    private static void deleteDir(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left for the OS to clean
        }
    }

    /** {@code redis-sentinel://127.0.0.1:<p1>,127.0.0.1:<p2>,127.0.0.1:<p3>#flagstore}. */
    public synchronized String uri() {
        return "redis-sentinel://"
                + sentinels.stream().map(s -> "127.0.0.1:" + s.port).collect(Collectors.joining(","))
                + "#" + MASTER_NAME;
    }

    /** The port of the master as the first sentinel that answers reports it. */
    public synchronized int masterPort() {
        for (Node s : sentinels) {
            Object reply = tryCall(s.port, "SENTINEL", "get-master-addr-by-name", MASTER_NAME);
            if (reply instanceof List<?> address) {
                return Integer.parseInt((String) address.get(1));
            }
        }
        throw new IllegalStateException("no sentinel answers");
    }

    /** Runs one command on the data node listening on {@code port}; see {@link RedisServer#execute}. */
    public Object execute(int port, String... command) {
        return call(port, command);
    }

    /** Runs one command on the current master. */
    public Object executeOnMaster(String... command) {
        return execute(masterPort(), command);
    }

    /**
     * {@code SENTINEL FAILOVER}: the sentinels promote the replica and turn the master into its replica;
     * returns once every sentinel names the new master, it accepts writes and the old one replicates it.
     * Returns the new master's port.
     */
    public int failover() {
        int old = masterPort();
        synchronized (this) {
            call(sentinels.get(0).port, "SENTINEL", "FAILOVER", MASTER_NAME);
        }
        int now = awaitNewMaster(old);
        await("the old master replicates the new one", () -> info(old).contains("master_link_status:up"));
        return now;
    }

    /** Kills the master with SIGKILL (a crash); returns its port, for {@link #awaitNewMaster(int)}. */
    public synchronized int killMaster() {
        int port = masterPort();
        node(port).kill();
        return port;
    }

    /**
     * Waits until every sentinel names a master other than {@code oldPort}, and that node says it is a
     * master; returns its port.
     */
    public int awaitNewMaster(int oldPort) {
        await("every sentinel names a new master instead of port " + oldPort, () -> {
            List<Integer> named = new ArrayList<>();
            synchronized (this) {
                for (Node s : sentinels) {
                    Object reply = tryCall(s.port, "SENTINEL", "get-master-addr-by-name", MASTER_NAME);
                    named.add(reply instanceof List<?> a ? Integer.parseInt((String) a.get(1)) : -1);
                }
            }
            return named.stream().distinct().count() == 1
                    && named.get(0) != oldPort
                    && info(named.get(0)).contains("role:master");
        });
        return masterPort();
    }

    /**
     * Starts a killed data node again on its port, empty (no persistence), configured as a replica of
     * the current master, as an operator restarting it would; returns once it is in sync.
     */
    public void restart(int port) {
        int master = masterPort();
        synchronized (this) {
            Node node = node(port);
            if (node.running()) {
                throw new IllegalStateException("the node on port " + port + " runs");
            }
            int replicaOf = node.command.indexOf("--replicaof");
            if (replicaOf >= 0) {
                node.command.subList(replicaOf, replicaOf + 3).clear();
            }
            node.command.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(master)));
            node.start();
        }
        await("every sentinel sees the restarted node on port " + port + " as a healthy replica", () -> {
            synchronized (this) {
                return sentinels.stream().allMatch(s -> healthyReplica(s.port, port));
            }
        });
    }

    /** Whether sentinel {@code sentinelPort} lists the node as a replica it could promote. */
    private boolean healthyReplica(int sentinelPort, int port) {
        if (!(tryCall(sentinelPort, "SENTINEL", "REPLICAS", MASTER_NAME) instanceof List<?> replicas)) {
            return false;
        }
        return replicas.stream()
                .map(RedisSentinelExtension::fields)
                .anyMatch(r -> Integer.toString(port).equals(r.get("port"))
                        && "slave".equals(r.get("flags"))
                        && "ok".equals(r.get("master-link-status")));
    }

    private Node node(int port) {
        return dataNodes.stream()
                .filter(n -> n.port == port)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no data node on port " + port));
    }

    private String info(int port) {
        return String.valueOf(tryCall(port, "INFO", "replication"));
    }

    private Map<String, String> sentinelMaster(int port) {
        Object reply = tryCall(port, "SENTINEL", "MASTER", MASTER_NAME);
        return reply == null ? null : fields(reply);
    }

    /** A RESP2 field/value list as a map. */
    private static Map<String, String> fields(Object reply) {
        List<?> list = (List<?>) reply;
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < list.size(); i += 2) {
            out.put(String.valueOf(list.get(i)), String.valueOf(list.get(i + 1)));
        }
        return out;
    }

    private Object call(int port, String... command) {
        String password = null; // data nodes need none; sentinels may
        for (Node s : sentinels) {
            password = s.port == port ? s.password : password;
        }
        try {
            return Resp.pipeline("127.0.0.1", port, null, password, List.<String[]>of(command))
                    .get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("Redis on port " + port + " unreachable", e);
        }
    }

    /** The reply, or {@code null} when the node is down or answers with an error. */
    private Object tryCall(int port, String... command) {
        try {
            return call(port, command);
        } catch (UncheckedIOException | Resp.ErrorReply e) {
            return null;
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + TIMEOUT_MS + " ms waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting until " + what, e);
            }
        }
    }
}
