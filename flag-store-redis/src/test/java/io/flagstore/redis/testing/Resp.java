package io.flagstore.redis.testing;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RESP2 client for the harness's own commands (PING, SHUTDOWN, CLIENT KILL...). One short
 * connection per call: it survives server restarts without reconnect logic and starts no threads, so
 * it never disturbs what a test measures.
 */
final class Resp {
    private static final int TIMEOUT_MS = 5_000;

    private Resp() {}

    /** A server error reply ({@code -ERR ...}). */
    static final class ErrorReply extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ErrorReply(String message) {
            super(message);
        }
    }

    /**
     * Sends commands on one fresh connection and returns their replies in order: {@code String}
     * (simple or bulk), {@code Long}, {@code List<Object>}, or {@code null}.
     *
     * @throws ErrorReply when the server answers a command with an error (after all replies were read)
     * @throws IOException when the server cannot be reached or closes the connection
     */
    static List<Object> pipeline(String host, int port, String user, String password, List<String[]> commands)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            List<String[]> all = new ArrayList<>();
            if (password != null) {
                all.add(user == null ? new String[] {"AUTH", password} : new String[] {"AUTH", user, password});
            }
            all.addAll(commands);
            for (String[] command : all) {
                write(out, command);
            }
            List<Object> replies = new ArrayList<>();
            ErrorReply error = null;
            for (int i = 0; i < all.size(); i++) {
                try {
                    replies.add(read(in));
                } catch (ErrorReply e) {
                    replies.add(e);
                    error = error == null ? e : error;
                }
            }
            if (error != null) {
                throw error;
            }
            return password == null ? replies : replies.subList(1, replies.size());
        }
    }

    private static void write(OutputStream out, String... args) throws IOException {
        StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by the server");
        }
        String line = readLine(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new ErrorReply(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                if (bytes.length < length + 2) {
                    throw new EOFException("connection closed inside a bulk string");
                }
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    try {
                        items.add(read(in));
                    } catch (ErrorReply e) {
                        items.add(e); // an error inside an array (e.g. EXEC) is a value, not a failure
                    }
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type byte " + type);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new EOFException("connection closed inside a reply");
            }
            sb.append((char) c);
        }
        in.read(); // '\n'
        return sb.toString();
    }
}
