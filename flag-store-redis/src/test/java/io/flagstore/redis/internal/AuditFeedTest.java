package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** When the audit feed is read again after a failed read, without Redis. */
class AuditFeedTest {
    private final AuditFeed feed = new AuditFeed(
            "flagstore:{ns}:audit",
            new ArrayDeque<>(),
            Duration.ofSeconds(2),
            new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), new SplittableRandom(1)));

    @Test
    void aFailedReadIsRetriedAfterABackoff() {
        long before = System.nanoTime();

        feed.stopped(new AuditFeed.Stopped("Connection closed", false));

        assertThat(feed.dueNanos()).isBetween(before + Duration.ofMillis(50).toNanos(), Long.MAX_VALUE - 1);
        assertThat(feed.next(null)).as("not due yet").isFalse();
    }

    @Test
    void aRefusedReadIsNotTriedAgain() {
        feed.stopped(new AuditFeed.Stopped("NOPERM this user has no permissions to run the 'xread' command", true));

        assertThat(feed.dueNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(feed.next(null)).isFalse();
    }
}
