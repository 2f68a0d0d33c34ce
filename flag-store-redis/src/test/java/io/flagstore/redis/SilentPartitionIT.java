package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flagstore.core.ClientState;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.testing.LocalBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real silent partition between a service and Redis: redis-server runs in a network namespace
 * behind a veth pair, and the partition replaces each side's neighbour entry with a MAC nobody
 * has, so packets vanish without a reset or an ICMP error (what a failed switch or a cut
 * cross-region link does). After it heals, the source must be READY and serve a write made after
 * the healing within the reconcile interval, not after the kernel's retransmission backoff of a
 * stuck connection. Needs root and {@code ip netns}; skipped otherwise. Prints the measured times
 * (docs/operations.md, "Network partitions").
 */
class SilentPartitionIT {
    private static final String NETNS = "ws10r2-fsnet";
    private static final String HOST_SIDE = "fsnet-r2a";
    private static final String REDIS_SIDE = "fsnet-r2b";
    private static final String HOST_IP = "10.251.73.1";
    private static final String REDIS_IP = "10.251.73.2";
    private static final String NOBODY_MAC = "02:00:5e:10:00:99";
    private static final int PORT = 6390;
    static final Duration PARTITION = Duration.ofSeconds(20);
    private static final Duration RECONCILE = Duration.ofSeconds(5);

    private static boolean created;
    private static Process server;
    private static Path dir;

    @BeforeAll
    static void network() throws Exception {
        assumeTrue(
                "0".equals(output("id", "-u").strip()),
                "the silent-partition test needs root (network namespaces); skipped");
        assumeTrue(ipNetnsWorks(), "the silent-partition test needs `ip netns` (iproute2); skipped");
        Path binary = LocalBackend.findOnPath("redis-server");
        assumeTrue(binary != null, "the silent-partition test needs redis-server on PATH; skipped");
        removeNetwork(); // left over by a run that was killed
        created = true;
        sh("ip", "netns", "add", NETNS);
        sh("ip", "link", "add", HOST_SIDE, "type", "veth", "peer", "name", REDIS_SIDE);
        sh("ip", "link", "set", REDIS_SIDE, "netns", NETNS);
        sh("ip", "addr", "add", HOST_IP + "/30", "dev", HOST_SIDE);
        sh("ip", "link", "set", HOST_SIDE, "up");
        inNetns("ip", "addr", "add", REDIS_IP + "/30", "dev", REDIS_SIDE);
        inNetns("ip", "link", "set", REDIS_SIDE, "up");
        inNetns("ip", "link", "set", "lo", "up");
        heal();

        dir = Files.createTempDirectory("ws10r2-fsnet-redis");
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", NETNS));
        List<String> serverCommand = LocalBackend.serverCommand(binary, PORT, dir);
        serverCommand.set(serverCommand.indexOf("--bind") + 1, REDIS_IP);
        // reachable only through the namespace's veth, from this host
        serverCommand.addAll(List.of("--protected-mode", "no"));
        command.addAll(serverCommand);
        server = new ProcessBuilder(command) // ip execs redis-server: the same process; it logs to its file
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> inNetnsOutput(
                        "redis-cli", "-h", REDIS_IP, "-p", Integer.toString(PORT), "PING")
                .contains("PONG"));
    }

    @AfterAll
    static void removeAll() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        if (created) {
            removeNetwork();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void aHealedSilentPartitionIsFollowedWithinTheReconcileInterval() throws Exception {
        RedisOptions options = RedisOptions.builder()
                .uri("redis://" + REDIS_IP + ":" + PORT)
                .namespace("partition")
                .build();
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.killSwitch("payments-api"));
        }
        EvaluationContext user = EvaluationContext.of("user-1");
        try (FlagClient client = FlagClient.builder()
                .source(RedisFlagSource.builder()
                        .options(options)
                        .serviceName("partitioned")
                        .build())
                .build()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> client.health().state() == ClientState.READY);
            assertThat(client.boolValue("payments-api", user, false)).isTrue();

            partition();
            long partitionedAt = System.nanoTime();
            await().atMost(PARTITION)
                    .alias("the source notices the partition")
                    .until(() -> client.health().state() == ClientState.STALE);
            long left = PARTITION.toNanos() - (System.nanoTime() - partitionedAt);
            TimeUnit.NANOSECONDS.sleep(Math.max(0, left)); // the partition's length is the subject: no result awaited
            heal();
            long healedAt = System.nanoTime();

            long written;
            try (FlagAdmin admin = FlagAdmin.connect(options)) {
                written = admin.disable("payments-api", WriteOptions.defaults().withReason("partition test"))
                        .version();
            }
            await().atMost(RECONCILE.multipliedBy(6))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> client.health().state() == ClientState.READY);
            long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healedAt);
            await().atMost(RECONCILE.multipliedBy(6))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !client.boolValue("payments-api", user, true)
                            && client.health().appliedVersion() >= written);
            long servedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healedAt);
            System.out.printf(
                    "silent partition of %d s healed: READY after %d ms, a write made after healing served after %d ms%n",
                    PARTITION.toSeconds(), readyMs, servedMs);

            assertThat(Duration.ofMillis(Math.max(readyMs, servedMs)))
                    .as("READY %d ms and served %d ms after healing", readyMs, servedMs)
                    .isLessThanOrEqualTo(RECONCILE);
        }
    }

    /** Both sides address each other at a MAC nobody has: frames are dropped without an error. */
    private static void partition() throws IOException, InterruptedException {
        sh("ip", "neigh", "replace", REDIS_IP, "lladdr", NOBODY_MAC, "dev", HOST_SIDE, "nud", "permanent");
        inNetns("ip", "neigh", "replace", HOST_IP, "lladdr", NOBODY_MAC, "dev", REDIS_SIDE, "nud", "permanent");
    }

    /** Both sides address each other at the real MACs (permanent, so no ARP is involved either way). */
    private static void heal() throws IOException, InterruptedException {
        String hostMac =
                output("cat", "/sys/class/net/" + HOST_SIDE + "/address").strip();
        String redisMac = inNetnsOutput("cat", "/sys/class/net/" + REDIS_SIDE + "/address")
                .strip();
        sh("ip", "neigh", "replace", REDIS_IP, "lladdr", redisMac, "dev", HOST_SIDE, "nud", "permanent");
        inNetns("ip", "neigh", "replace", HOST_IP, "lladdr", hostMac, "dev", REDIS_SIDE, "nud", "permanent");
    }

    private static boolean ipNetnsWorks() throws InterruptedException {
        try {
            return exitCode("ip", "netns", "list") == 0;
        } catch (IOException e) {
            return false; // no ip binary
        }
    }

    private static void removeNetwork() throws IOException, InterruptedException {
        exitCode("ip", "link", "del", HOST_SIDE); // removes its peer too
        exitCode("ip", "netns", "del", NETNS);
    }

    private static void inNetns(String... command) throws IOException, InterruptedException {
        sh(netns(command));
    }

    private static String inNetnsOutput(String... command) throws IOException, InterruptedException {
        return output(netns(command));
    }

    private static String[] netns(String... command) {
        List<String> words = new ArrayList<>(List.of("ip", "netns", "exec", NETNS));
        words.addAll(List.of(command));
        return words.toArray(String[]::new);
    }

    private static void sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static int exitCode(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
