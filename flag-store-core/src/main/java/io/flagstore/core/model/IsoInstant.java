package io.flagstore.core.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.time.format.DateTimeParseException;

/**
 * {@link Instant#parse} and {@link Instant#toString}, with a fast path for the form every writer of
 * flags produces ({@code 2027-01-31T09:30:00Z}, with or without a fraction of 1 to 9 digits): a flag
 * carries two instants, and the JDK's general formatter was the largest single cost of reading a
 * flag from Redis, then of writing its canonical form (which a source does twice per flag it loads:
 * to check its size and to digest it). Anything outside the fast path goes to the JDK, so results
 * and errors are the same.
 */
final class IsoInstant {
    private static final int SHORTEST = "2027-01-31T09:30:00Z".length();
    private static final int LONGEST = "2027-01-31T09:30:00.123456789Z".length();
    private static final int[] NANOS_PER_DIGIT_UNIT = {
        0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
    };

    /** The longest text {@link #format} writes. */
    static final int MAX_LENGTH = LONGEST;

    private static final long FIRST_FAST_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long LAST_FAST_SECOND = LocalDate.of(9999, 12, 31).toEpochDay() * 86_400 + 86_399;

    private IsoInstant() {}

    /**
     * Writes {@code instant} as {@link Instant#toString} does into {@code into} (at least {@link
     * #MAX_LENGTH} long) for the years 0000 to 9999: seconds always, the fraction in groups of three
     * digits as long as it has any left.
     *
     * @return the number of characters written, or -1 for an instant outside those years (use {@code
     *     toString})
     */
    static int format(Instant instant, char[] into) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_FAST_SECOND || seconds > LAST_FAST_SECOND) {
            return -1;
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        put(into, 0, date.getYear(), 4);
        into[4] = '-';
        put(into, 5, date.getMonthValue(), 2);
        into[7] = '-';
        put(into, 8, date.getDayOfMonth(), 2);
        into[10] = 'T';
        put(into, 11, secondOfDay / 3_600, 2);
        into[13] = ':';
        put(into, 14, secondOfDay / 60 % 60, 2);
        into[16] = ':';
        put(into, 17, secondOfDay % 60, 2);
        int length = SHORTEST - 1;
        int nanos = instant.getNano();
        if (nanos > 0) {
            int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
            into[length] = '.';
            put(into, length + 1, nanos / NANOS_PER_DIGIT_UNIT[digits], digits);
            length += 1 + digits;
        }
        into[length] = 'Z';
        return length + 1;
    }

    /** Writes {@code value} as {@code width} decimal digits, zero-padded, at {@code at}. */
    private static void put(char[] into, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * The instant {@code text} names.
     *
     * @throws DateTimeParseException as {@link Instant#parse} does
     */
    static Instant parse(String text) {
        int length = text.length();
        if (length < SHORTEST
                || length > LONGEST
                || length == SHORTEST + 1
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || text.charAt(length - 1) != 'Z'
                || length > SHORTEST && text.charAt(19) != '.') {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int fractionDigits = length > SHORTEST ? length - SHORTEST - 1 : 0;
        int fraction = fractionDigits == 0 ? 0 : digits(text, 20, length - 1);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > Month.of(month).length(Year.isLeap(year))
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59 // a leap second, among others: Instant.parse knows what to do
                || fraction < 0) {
            return Instant.parse(text);
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(
                epochDay * 86_400 + hour * 3_600L + minute * 60L + second,
                (long) fraction * NANOS_PER_DIGIT_UNIT[fractionDigits]);
    }

    /** The number written by the ASCII digits {@code from} (inclusive) to {@code to}, or -1 if one is not. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
