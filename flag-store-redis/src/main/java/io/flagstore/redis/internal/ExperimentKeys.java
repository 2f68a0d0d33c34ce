package io.flagstore.redis.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where experiment counts live (docs/redis-layout.md, "Experiments"). Every key starts with {@code
 * flagstore:{ns}:exp:} so one ACL pattern gives the service role add-only access to them, and shares
 * the namespace's hash tag so a union over a run's days is one {@code PFCOUNT} in a cluster too. A run
 * (its {@code startAt} in epoch seconds) is part of every key, so a restarted experiment counts
 * afresh; days are UTC {@code yyyyMMdd} buckets. Flag keys, variant and metric names contain no
 * {@code ':'}, so the parts cannot run into each other.
 *
 * <p>Immutable and thread-safe.
 */
public final class ExperimentKeys {
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    /** Field separator in the sums hash. */
    static final char SEPARATOR = '|';
    /** Most days a run's counts are read over (a longer run reads its last this many days). */
    public static final int MAX_DAYS = 366;

    private final String prefix;

    public ExperimentKeys(KeySchema keys) {
        this.prefix = keys.prefix();
    }

    /** The stream of raw exposures ({@code RedisExposureStream}). */
    public String exposureStream() {
        return prefix + "exposures";
    }

    /** HyperLogLog of the units exposed to {@code variant} on {@code day}. */
    public String exposed(String flag, Instant run, String variant, String day) {
        return run(flag, run) + ":exposed:" + variant + ":" + day;
    }

    /** HyperLogLog of the units of {@code variant} with outcome {@code metric} on {@code day}. */
    public String converted(String flag, Instant run, String metric, String variant, String day) {
        return run(flag, run) + ":converted:" + metric + ":" + variant + ":" + day;
    }

    /** Hash of outcome counts and value sums of a run, fields {@link #sumField} and {@link #countField}. */
    public String sums(String flag, Instant run) {
        return run(flag, run) + ":sums";
    }

    /** The sums-hash field of the value sum of {@code metric} in {@code variant}. */
    public static String sumField(String metric, String variant) {
        return metric + SEPARATOR + variant + SEPARATOR + "sum";
    }

    /** The sums-hash field of the number of outcomes (not unique) of {@code metric} in {@code variant}. */
    public static String countField(String metric, String variant) {
        return metric + SEPARATOR + variant + SEPARATOR + "count";
    }

    /** The UTC day bucket of {@code at}. */
    public static String day(Instant at) {
        return DAY.format(at.atOffset(ZoneOffset.UTC).toLocalDate());
    }

    /** The day buckets from {@code from} to {@code to}, both included; at most the last {@link #MAX_DAYS}. */
    public static List<String> days(Instant from, Instant to) {
        LocalDate first = from.atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate last = to.atOffset(ZoneOffset.UTC).toLocalDate();
        if (first.plusDays(MAX_DAYS).isBefore(last)) {
            first = last.minusDays(MAX_DAYS - 1);
        }
        List<String> days = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            days.add(DAY.format(d));
        }
        return days;
    }

    private String run(String flag, Instant run) {
        return prefix + "exp:" + flag + ":" + run.getEpochSecond();
    }
}
