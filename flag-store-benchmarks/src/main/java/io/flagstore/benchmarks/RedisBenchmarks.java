package io.flagstore.benchmarks;

import io.flagstore.redis.testing.RedisServer;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Command-line handling and output shared by the benchmarks that run against a real Redis. */
final class RedisBenchmarks {
    /** What a benchmark does with the Redis it was given. */
    interface Body {
        void run(String redisUrl) throws Exception;
    }

    private RedisBenchmarks() {}

    /** The value after {@code name} in {@code args}, or {@code fallback}. */
    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    /**
     * Runs {@code body} against {@code --redis}, or else against a {@code redis-server} from PATH on
     * a free loopback port, stopped afterwards (also when the JVM is interrupted).
     */
    static void withRedis(String[] args, Body body) throws Exception {
        String url = option(args, "--redis", null);
        if (url != null) {
            body.run(url);
            return;
        }
        RedisServer server = RedisServer.builder().build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        try {
            body.run(server.uri());
        } finally {
            server.close();
        }
    }

    /** One line of percentiles of a histogram of microseconds, in milliseconds. */
    static void printLatency(String what, Histogram micros) {
        System.out.printf(
                Locale.ROOT,
                "%s: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms (%d samples)%n",
                what,
                micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0,
                micros.getValueAtPercentile(99.9) / 1000.0,
                micros.getMaxValue() / 1000.0,
                micros.getTotalCount());
    }
}
