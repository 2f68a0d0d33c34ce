package io.flagstore.redis.testing;

import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class a real Redis Cluster: six {@code redis-server} processes
 * from PATH ({@code cluster-enabled yes}) on free 127.0.0.1 ports, each in its own temporary
 * directory, joined as three masters (slots split evenly) with one replica each. Started before
 * the class, stopped by PID after it; before each test, a node a previous test left stopped is
 * started again (it rejoins as a replica) and the cluster is awaited healthy. {@code cluster-node-timeout}
 * is {@value #NODE_TIMEOUT_MS} ms, so an automatic failover after a crash takes a few seconds.
 *
 * <pre>{@code
 * @RegisterExtension
 * static RedisClusterExtension cluster = new RedisClusterExtension();
 * ... RedisOptions.builder().uri(cluster.uri()) ...
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class RedisClusterExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    /** Milliseconds before a silent node counts as failed (Redis's default is 15,000). */
    public static final int NODE_TIMEOUT_MS = 1_000;

    private static final int MASTERS = 3;
    private static final int SLOTS = 16_384;
    private static final long FORM_TIMEOUT_MS = 30_000;
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private final List<LocalBackend> nodes = new ArrayList<>();

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        Path binary = LocalBackend.findOnPath("redis-server");
        if (binary == null) {
            throw new IllegalStateException(
                    "Redis Cluster tests need redis-server on PATH (apt-get install redis-server); none found");
        }
        try {
            for (int i = 0; i < 2 * MASTERS; i++) {
                LocalBackend node = new LocalBackend(
                        binary,
                        false,
                        false,
                        List.of(
                                "--cluster-enabled", "yes",
                                "--cluster-config-file", "nodes.conf",
                                "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MS),
                                // a replica may always take over (it lost its master only because of the test)
                                "--cluster-replica-validity-factor", "0",
                                "--cluster-allow-replica-migration", "no",
                                // a restarted node syncs from its new master at once, not after 5 s
                                "--repl-diskless-sync-delay", "0"));
                nodes.add(node);
                node.start();
            }
            form();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Masters get the slot ranges, everyone meets, then replica {@code i} follows master {@code i}. */
    private void form() {
        for (int i = 0; i < MASTERS; i++) {
            int first = i * SLOTS / MASTERS;
            int last = (i + 1) * SLOTS / MASTERS - 1;
            call(nodes.get(i), "CLUSTER", "ADDSLOTSRANGE", Integer.toString(first), Integer.toString(last));
        }
        for (LocalBackend node : nodes.subList(1, nodes.size())) {
            call(nodes.get(0), "CLUSTER", "MEET", node.host(), Integer.toString(node.port()));
        }
        await("every node to know all six", () -> nodes.stream()
                .allMatch(n -> clusterNodes(n).stream()
                                .filter(l -> !l.contains("handshake") && !l.contains("noaddr"))
                                .count()
                        == nodes.size()));
        for (int i = 0; i < MASTERS; i++) {
            String masterId = (String) call(nodes.get(i), "CLUSTER", "MYID");
            call(nodes.get(MASTERS + i), "CLUSTER", "REPLICATE", masterId);
        }
        awaitHealthy();
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        if (nodes.isEmpty()) {
            throw new IllegalStateException("RedisClusterExtension must be registered on a static field");
        }
        boolean restarted = false;
        for (LocalBackend node : nodes) {
            if (!node.running()) {
                node.start();
                restarted = true;
            }
        }
        if (restarted) {
            awaitHealthy();
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        close();
    }

    private void close() {
        nodes.forEach(LocalBackend::close);
        nodes.clear();
    }

    /** {@code redis-cluster://127.0.0.1:<p1>,127.0.0.1:<p2>,127.0.0.1:<p3>}: three seed nodes. */
    public synchronized String uri() {
        return "redis-cluster://"
                + nodes.subList(0, 3).stream()
                        .map(n -> n.host() + ":" + n.port())
                        .collect(Collectors.joining(","));
    }

    /** The ports of the three masters, as the cluster agrees. */
    public synchronized List<Integer> masterPorts() {
        return List.of(
                masterOf(0).port(),
                masterOf(SLOTS / 2).port(),
                masterOf(SLOTS - 1).port());
    }

    /** A namespace no other test in this JVM uses. */
    public String uniqueNamespace() {
        return "c" + NAMESPACES.incrementAndGet() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    }

    /** The port of the master that owns {@code key}'s slot, as the cluster agrees. */
    public synchronized int masterPortOf(String key) {
        return masterOf(SlotHash.getSlot(key)).port();
    }

    /** Runs {@code command} on every running node (e.g. {@code ACL SETUSER}: ACLs are per node). */
    public synchronized void executeOnAll(String... command) {
        nodes.stream().filter(LocalBackend::running).forEach(n -> call(n, command));
    }

    /** Runs {@code command} on the master owning {@code key}'s slot and returns the reply. */
    public synchronized Object executeOnMasterOf(String key, String... command) {
        return call(masterOf(SlotHash.getSlot(key)), command);
    }

    /**
     * A coordinated failover of the master owning {@code key}'s slot: {@code CLUSTER FAILOVER} on its
     * replica, which waits for the replication offset to match, so no acknowledged write is lost.
     * Returns when every node agrees on the new master.
     */
    public synchronized void failover(String key) {
        int slot = SlotHash.getSlot(key);
        LocalBackend replica = replicaOf(masterOf(slot));
        call(replica, "CLUSTER", "FAILOVER");
        await("the replica on " + replica.port() + " to own slot " + slot, () -> ownsSlot(replica, slot));
        awaitHealthy();
    }

    /**
     * Kills (SIGKILL) the master owning {@code key}'s slot, waits until its replica has been promoted
     * automatically, then starts the killed node again (empty: it rejoins as the new master's replica,
     * as a replaced machine would) and waits until the cluster is healthy. A crash can lose writes
     * that were not replicated yet (use {@code WAIT}). Returns the killed port.
     */
    public synchronized int killMasterOf(String key) {
        int slot = SlotHash.getSlot(key);
        LocalBackend master = masterOf(slot);
        LocalBackend replica = replicaOf(master);
        master.crash();
        await("the replica on " + replica.port() + " to take over slot " + slot, () -> ownsSlot(replica, slot));
        master.start();
        awaitHealthy();
        return master.port();
    }

    private boolean ownsSlot(LocalBackend candidate, int slot) {
        return nodes.stream()
                .filter(LocalBackend::running)
                .allMatch(n -> masterAccordingTo(n, slot) == candidate.port());
    }

    /** Waits until every running node says cluster_state:ok and every replica's link is up. */
    private void awaitHealthy() {
        await(
                "cluster_state:ok on every node and every replica linked",
                () -> nodes.stream().filter(LocalBackend::running).allMatch(n -> {
                    String info = (String) call(n, "CLUSTER", "INFO");
                    String replication = (String) call(n, "INFO", "replication");
                    return info.contains("cluster_state:ok")
                            && (replication.contains("role:master") || replication.contains("master_link_status:up"))
                            && clusterNodes(n).stream().noneMatch(l -> l.contains("fail?"));
                }));
    }

    private LocalBackend masterOf(int slot) {
        LocalBackend any = nodes.stream()
                .filter(LocalBackend::running)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no node runs"));
        int port = masterAccordingTo(any, slot);
        return node(port);
    }

    private LocalBackend replicaOf(LocalBackend master) {
        String masterId = (String) call(master, "CLUSTER", "MYID");
        return clusterNodes(master).stream()
                .map(l -> l.split(" "))
                .filter(f -> f[3].equals(masterId) && !f[2].contains("fail"))
                .map(f -> node(port(f[1])))
                .filter(LocalBackend::running)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("master on " + master.port() + " has no live replica"));
    }

    /** The port of the master that {@code node} believes owns {@code slot}, or -1. */
    private int masterAccordingTo(LocalBackend node, int slot) {
        for (String line : clusterNodes(node)) {
            String[] f = line.split(" ");
            if (!f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue; // a slot being migrated
                }
                String[] range = f[i].split("-");
                int first = Integer.parseInt(range[0]);
                int last = range.length == 1 ? first : Integer.parseInt(range[1]);
                if (slot >= first && slot <= last) {
                    return port(f[1]);
                }
            }
        }
        return -1;
    }

    private static int port(String address) {
        // 127.0.0.1:port@busport
        return Integer.parseInt(address.substring(address.indexOf(':') + 1, address.indexOf('@')));
    }

    private LocalBackend node(int port) {
        return nodes.stream()
                .filter(n -> n.port() == port)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no node on port " + port));
    }

    private static List<String> clusterNodes(LocalBackend node) {
        return ((String) call(node, "CLUSTER", "NODES")).lines().toList();
    }

    private static Object call(LocalBackend node, String... command) {
        try {
            return node.call(command);
        } catch (IOException e) {
            throw new UncheckedIOException("Redis Cluster node on " + node.port() + " unreachable", e);
        } catch (Resp.ErrorReply e) {
            throw new IllegalStateException(
                    "Redis Cluster node on " + node.port() + " refused " + List.of(command) + ": " + e.getMessage(), e);
        }
    }

    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FORM_TIMEOUT_MS);
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e; // a node still starting up or failing over: poll again
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException(
                "Redis Cluster: timed out after " + FORM_TIMEOUT_MS + " ms waiting for " + what + "; nodes: "
                        + nodes.stream()
                                .map(n -> n.port() + (n.running() ? "" : " (down)"))
                                .toList(),
                last);
    }
}
