package io.flagstore.redis.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A server the harness owns on 127.0.0.1, on a port chosen free once and kept across restarts. */
abstract class LoopbackBackend implements Backend {
    /** 0 until the first start chose one. */
    protected int port;

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
