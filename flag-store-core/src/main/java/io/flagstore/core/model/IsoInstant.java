package io.flagstore.core.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.time.format.DateTimeParseException;

/**
 * {@link Instant#parse}, with a fast path for the form every writer of flags produces ({@code
 * 2027-01-31T09:30:00Z}, with or without a fraction of 1 to 9 digits): a flag carries two instants,
 * and {@code Instant.parse} (a general formatter) was the largest single cost of reading a flag from
 * Redis. Any other text goes to {@code Instant.parse}, so results and errors are the same.
 */
final class IsoInstant {
    private static final int SHORTEST = "2027-01-31T09:30:00Z".length();
    private static final int LONGEST = "2027-01-31T09:30:00.123456789Z".length();
    private static final int[] NANOS_PER_DIGIT_UNIT = {
        0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
    };

    private IsoInstant() {}

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
