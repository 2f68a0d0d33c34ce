package io.flagstore.redis.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A server the harness does not own ({@code FLAGSTORE_TEST_REDIS_URL}): it cannot be stopped or
 * restarted ({@link RedisServerExtension} turns that into a skipped test).
 */
final class ExternalBackend implements Backend {
    private final String uri;
    private final String host;
    private final int port;
    private final String user;
    private final String password;

    ExternalBackend(String uri) {
        URI parsed = URI.create(uri);
        if (!"redis".equals(parsed.getScheme()) || parsed.getHost() == null) {
            throw new IllegalArgumentException(
                    RedisServer.URL_ENV + " must be redis://[user:password@]host[:port], not " + uri);
        }
        this.uri = uri;
        this.host = parsed.getHost();
        this.port = parsed.getPort() < 0 ? 6379 : parsed.getPort();
        String userInfo = parsed.getRawUserInfo();
        if (userInfo == null) {
            user = null;
            password = null;
        } else {
            int colon = userInfo.indexOf(':');
            String u = colon < 0 ? null : decode(userInfo.substring(0, colon));
            user = u == null || u.isEmpty() ? null : u;
            password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void start() {
        try {
            call("PING");
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(RedisServer.URL_ENV + " points at a Redis that does not answer PING", e);
        }
    }

    @Override
    public void stop() {
        throw notRestartable();
    }

    @Override
    public void crash() {
        throw notRestartable();
    }

    private static UnsupportedOperationException notRestartable() {
        return new UnsupportedOperationException(
                "the server from " + RedisServer.URL_ENV + " cannot be stopped by tests");
    }

    @Override
    public boolean running() {
        return true;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public boolean restartable() {
        return false;
    }

    @Override
    public List<Object> pipeline(List<String[]> commands) throws IOException {
        return Resp.pipeline(host, port, user, password, commands);
    }

    @Override
    public String redisCli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "--no-auth-warning", "-u", uri));
        cmd.addAll(List.of(args));
        return CliRunner.run(cmd);
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return "external Redis at " + host + ":" + port;
    }
}
