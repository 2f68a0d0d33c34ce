package io.flagstore.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: at most {@value #MAX_FAILURES} failed logins per user name and per
 * client address in a sliding {@link #WINDOW}; beyond that, logins are refused without checking
 * the password until the window has passed.
 */
final class LoginLimiter {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(5);

    private final Clock clock;
    private final ConcurrentHashMap<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    LoginLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Whether a login for {@code user} from {@code address} may be tried now. */
    boolean allowed(String user, String address) {
        return count("user:" + user) < MAX_FAILURES && count("ip:" + address) < MAX_FAILURES;
    }

    void failed(String user, String address) {
        add("user:" + user);
        add("ip:" + address);
    }

    void succeeded(String user) {
        failures.remove("user:" + user);
    }

    private int count(String key) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            Instant cutoff = clock.instant().minus(WINDOW);
            while (!times.isEmpty() && times.peekFirst().isBefore(cutoff)) {
                times.pollFirst();
            }
            return times.size();
        }
    }

    private void add(String key) {
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(clock.instant());
            if (times.size() > MAX_FAILURES * 4) {
                times.pollFirst();
            }
        }
    }
}
