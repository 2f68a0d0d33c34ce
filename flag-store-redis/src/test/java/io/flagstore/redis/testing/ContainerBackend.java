package io.flagstore.redis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.FixedHostPortGenericContainer;
import org.testcontainers.containers.GenericContainer;

/**
 * Redis in a Docker container (used only when no {@code redis-server} is on PATH). A restart creates
 * a new container on the same host port with the same bind-mounted data directory, so AOF data
 * survives like with a local process.
 */
final class ContainerBackend extends LoopbackBackend {
    static final String IMAGE = "redis:7.0";

    private final boolean aof;
    private GenericContainer<?> container;

    ContainerBackend(boolean aof) {
        this.aof = aof;
    }

    /** Whether Testcontainers is on the class path and finds a working Docker engine. */
    static boolean available() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory");
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    @SuppressWarnings({"deprecation", "resource"}) // a fixed host port is the point: restarts keep it
    public synchronized void start() {
        if (running()) {
            return;
        }
        try {
            if (createDirOnce()) {
                port = freePort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(
                List.of("redis-server", "--save", "", "--appendonly", aof ? "yes" : "no", "--protected-mode", "no"));
        if (aof) {
            cmd.addAll(List.of("--appendfsync", "always"));
        }
        container = new FixedHostPortGenericContainer<>(IMAGE)
                .withFixedExposedPort(port, 6379)
                .withFileSystemBind(dir.toString(), "/data", BindMode.READ_WRITE)
                .withCommand(cmd.toArray(String[]::new));
        container.start();
    }

    @Override
    public synchronized void stop() {
        if (container != null) {
            container.stop();
            container = null;
        }
    }

    @Override
    public synchronized void crash() {
        if (container != null) {
            container
                    .getDockerClient()
                    .killContainerCmd(container.getContainerId())
                    .exec();
            stop();
        }
    }

    @Override
    public synchronized boolean running() {
        return container != null && container.isRunning();
    }

    @Override
    public String redisCli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli"));
        cmd.addAll(List.of(args));
        Container.ExecResult result;
        synchronized (this) {
            if (container == null) {
                throw new IOException("the Redis container is not running");
            }
            result = container.execInContainer(cmd.toArray(String[]::new));
        }
        if (result.getExitCode() != 0) {
            throw new IOException("exit " + result.getExitCode() + " from " + cmd + ": " + result.getStderr());
        }
        return result.getStdout().strip();
    }

    @Override
    public synchronized void close() {
        stop();
        deleteDir();
    }

    @Override
    public String toString() {
        return "Redis container " + IMAGE + " on 127.0.0.1:" + port + (aof ? " (AOF)" : "");
    }
}
