package io.flagstore.cli;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.stream.Collectors;

/** How values look in human output. */
final class Formats {
    private Formats() {}

    /** {@code on} or {@code off}. */
    static String state(Flag flag) {
        return flag.enabled() ? "on" : "off";
    }

    /** What the flag serves to everyone not targeted: its variant, or the rollout's weights. */
    static String serves(Flag flag) {
        return flag.enabled() ? serve(flag.fallthrough()) : flag.offVariant() + " (off)";
    }

    static String serve(Serve serve) {
        if (serve.rollout() == null) {
            return serve.variant();
        }
        Rollout r = serve.rollout();
        String weights = r.variants().stream().map(Formats::weight).collect(Collectors.joining(" "));
        return r.bucketBy() == null ? weights : weights + " by " + r.bucketBy();
    }

    static String weight(WeightedVariant w) {
        return w.variant() + "="
                + BigDecimal.valueOf(w.weight()).stripTrailingZeros().toPlainString() + "%";
    }

    /** UTC, to the second: {@code 2026-11-25T12:45:12Z}. */
    static String time(Instant instant) {
        return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Milliseconds with one decimal below 10 ms: {@code 1.8 ms}, {@code 240 ms}, {@code 3.2 s}. */
    static String millis(Duration d) {
        double ms = d.toNanos() / 1e6;
        if (ms < 10) {
            return String.format(java.util.Locale.ROOT, "%.1f ms", ms);
        }
        if (ms < 10_000) {
            return Math.round(ms) + " ms";
        }
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000);
    }

    static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
