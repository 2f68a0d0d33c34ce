package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {
    private static final Duration MIN = Duration.ofMillis(50);
    private static final Duration CAP = Duration.ofSeconds(30);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20261125})
    void delaysStayBetweenTheMinimumAndACeilingThatDoublesUpToTheCap(long seed) {
        Backoff backoff = new Backoff(MIN, CAP, new SplittableRandom(seed));
        long ceiling = MIN.toNanos() * 2;
        for (int attempt = 0; attempt < 40; attempt++) {
            long delay = backoff.nextNanos();
            assertThat(delay).as("seed %d, attempt %d", seed, attempt).isBetween(MIN.toNanos(), ceiling);
            ceiling = Math.min(ceiling * 2, CAP.toNanos());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20261125})
    void delaysAreSpreadAcrossTheWholeRangeOnceAtTheCap(long seed) {
        Backoff backoff = new Backoff(MIN, CAP, new SplittableRandom(seed));
        for (int attempt = 0; attempt < 20; attempt++) {
            backoff.nextNanos();
        }
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            delays.add(backoff.nextNanos());
        }
        // full jitter: clients that failed together do not retry together
        assertThat(delays.stream().filter(d -> d < CAP.toNanos() / 4).count())
                .as("seed %d", seed)
                .isPositive();
        assertThat(delays.stream().filter(d -> d > CAP.toNanos() * 3 / 4).count())
                .as("seed %d", seed)
                .isPositive();
    }

    @Test
    void resetStartsAgainFromTheSmallestDelays() {
        Backoff backoff = new Backoff(MIN, CAP, new SplittableRandom(7));
        for (int attempt = 0; attempt < 20; attempt++) {
            backoff.nextNanos();
        }
        backoff.reset();
        assertThat(backoff.nextNanos()).isBetween(MIN.toNanos(), MIN.toNanos() * 2);
    }

    @Test
    void refusesAMinimumAboveTheCapOrNotPositive() {
        assertThatThrownBy(() -> new Backoff(CAP, MIN, new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 < min <= cap");
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, CAP, new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
