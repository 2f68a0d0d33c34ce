package io.flagstore.redis.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A server the harness owns on 127.0.0.1, on a port chosen free once and kept across restarts. */
abstract class LoopbackBackend implements Backend {
    /** 0 until the first start chose one. */
    protected int port;
    /** The data directory, kept across restarts; null until the first start. */
    protected Path dir;

    /** Creates the data directory on the first start; returns whether it was created now. */
    protected boolean createDirOnce() throws IOException {
        if (dir != null) {
            return false;
        }
        dir = Files.createTempDirectory("flagstore-redis-");
        dir.toFile().setWritable(true, false); // a container's redis user writes there too
        return true;
    }

    /** Deletes the data directory (best effort: a leftover temporary directory is harmless). */
    protected void deleteDir() {
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // left for the OS to clean
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public synchronized int port() {
        return port;
    }

    @Override
    public String uri() {
        return "redis://127.0.0.1:" + port();
    }

    @Override
    public boolean restartable() {
        return true;
    }
}
