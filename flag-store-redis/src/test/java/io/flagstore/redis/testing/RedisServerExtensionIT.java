package io.flagstore.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisServerExtensionIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    @Test
    void startsARealServerOnLoopback() {
        assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
        assertThat(redis.execute("PING")).isEqualTo("PONG");
        assertThat((String) redis.execute("INFO", "server")).contains("redis_version:");
    }

    @Test
    void redisCliActsFromOutsideTheJvm() {
        String key = redis.uniqueNamespace() + ":k";
        assertThat(redis.redisCli("SET", key, "from-cli")).isEqualTo("OK");
        assertThat(redis.execute("GET", key)).isEqualTo("from-cli");
    }

    @Test
    void restartKeepsThePortAndWithoutAofLosesTheData() {
        String key = redis.uniqueNamespace() + ":k";
        int port = redis.port();
        redis.execute("SET", key, "v");

        redis.restart();

        assertThat(redis.port()).isEqualTo(port);
        assertThat(redis.execute("GET", key)).isNull();
    }

    @Test
    void stoppedServerRefusesConnectionsUntilStartedAgain() {
        redis.stop();
        assertThat(redis.isRunning()).isFalse();
        assertThatThrownBy(() -> redis.execute("PING")).hasMessageContaining("unreachable");

        redis.start();
        assertThat(redis.execute("PING")).isEqualTo("PONG");
    }

    @Test
    void killPubSubClientsDropsSubscribersOnly() throws Exception {
        try (Socket subscriber = new Socket("127.0.0.1", redis.port())) {
            OutputStream out = subscriber.getOutputStream();
            out.write("*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nch\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = subscriber.getInputStream();
            String confirmation = new String(in.readNBytes(31), StandardCharsets.US_ASCII);
            assertThat(confirmation).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");

            assertThat(redis.killPubSubClients()).isEqualTo(1);

            subscriber.setSoTimeout(5_000);
            assertThat(in.read()).as("the subscriber's connection is closed").isEqualTo(-1);
        }
        assertThat(redis.execute("PING")).isEqualTo("PONG");
    }

    @Test
    void aofServerKeepsAcknowledgedWritesAcrossACrash() {
        try (RedisServer aof = RedisServer.builder().aof().build()) {
            aof.start();
            assumeTrue(aof.isRestartable(), "needs a server the test owns, not " + RedisServer.URL_ENV);
            aof.execute("SET", "k", "kept");
            aof.crash();
            assertThat(aof.isRunning()).isFalse();

            aof.start();

            assertThat(aof.execute("GET", "k")).isEqualTo("kept");
            assertThat(aof.execute("CONFIG", "GET", "appendfsync")).isEqualTo(List.of("appendfsync", "always"));
        }
    }
}
