package io.flagstore.redis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of a Redis that can lose one reply: once armed with a command name, the
 * first reply that follows a request naming that command is thrown away and the connection is
 * closed, so the command ran in Redis but its sender never hears of it (what a master crash or a
 * broken link after the command arrived looks like to a client). Every other byte is forwarded.
 * Binds to 127.0.0.1 only. Thread-safe; {@link #close()} stops it and every connection.
 */
public final class ReplyDroppingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int redisPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> armed = new AtomicReference<>();
    private final AtomicInteger dropped = new AtomicInteger();

    /** Starts forwarding connections to the Redis on 127.0.0.1:{@code redisPort}. */
    public ReplyDroppingProxy(int redisPort) {
        this.redisPort = redisPort;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "reply-dropping-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The URI clients connect to. */
    public String uri() {
        return "redis://127.0.0.1:" + listener.getLocalPort();
    }

    /** Loses the reply to the next request that names {@code command} (upper case, as clients send it). */
    public void dropNextReplyTo(String command) {
        armed.set(command);
    }

    /** How many replies were lost so far. */
    public int dropped() {
        return dropped.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket redis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                sockets.add(client);
                sockets.add(redis);
                AtomicReference<String> awaitingReplyTo = new AtomicReference<>();
                pump(client, redis, chunk -> {
                    String command = armed.get();
                    if (command != null && chunk.contains(command) && armed.compareAndSet(command, null)) {
                        awaitingReplyTo.set(command);
                    }
                    return true;
                });
                pump(redis, client, chunk -> {
                    if (awaitingReplyTo.getAndSet(null) != null) {
                        dropped.incrementAndGet();
                        closeQuietly(client);
                        closeQuietly(redis);
                        return false;
                    }
                    return true;
                });
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Decides, per chunk read, whether to forward it ({@code false}: stop this connection). */
    private interface Gate {
        boolean forward(String chunk);
    }

    private void pump(Socket from, Socket to, Gate gate) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[64 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            if (!gate.forward(new String(buffer, 0, n, StandardCharsets.ISO_8859_1))) {
                                return;
                            }
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // the other side closed: end both
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "reply-dropping-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        sockets.forEach(ReplyDroppingProxy::closeQuietly);
    }
}
