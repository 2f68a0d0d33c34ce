package io.flagstore.console;

import io.flagstore.core.FlagClient;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;

/**
 * A minimal service JVM for {@link ConsoleBenchmark}: one {@link FlagClient} on Redis, "READY" on
 * standard output once it holds the flags, and an exit when standard input closes.
 *
 * <p>Arguments: REDIS_URI NAMESPACE SERVICE.
 */
public final class BenchService {
    private BenchService() {}

    public static void main(String[] args) throws Exception {
        try (FlagClient client = FlagClient.builder()
                .source(RedisFlagSource.builder()
                        .options(RedisOptions.builder()
                                .uri(args[0])
                                .namespace(args[1])
                                .build())
                        .serviceName(args[2])
                        .instanceId(args[2] + "-" + ProcessHandle.current().pid())
                        .build())
                .build()) {
            System.out.println("READY " + args[2]);
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until the parent closes our standard input
            }
        }
    }
}
