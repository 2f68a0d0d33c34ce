package io.flagstore.redis.internal;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce's event loops and timer, shared by every Redis source in the JVM (each source keeps its
 * own connections): Lettuce's advice, and what lets one process hold several sources (several
 * namespaces, or a benchmark's many clients) without a thread pool each. Created by the first
 * source, shut down when the last one closes. Thread-safe.
 */
final class SharedResources {
    private static ClientResources resources;
    private static int users;

    private SharedResources() {}

    static synchronized ClientResources acquire() {
        if (users++ == 0) {
            resources = create();
        }
        return resources;
    }

    /**
     * New resources with flag-store's reconnect policy (Lettuce's default backs off to 30 s, too slow
     * to notice that Redis is back); the caller shuts them down.
     */
    static ClientResources create() {
        return DefaultClientResources.builder()
                // reconnect soon after a blip, at most every second while Redis stays away
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    static synchronized void release() {
        if (--users == 0) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            resources = null;
        }
    }
}
