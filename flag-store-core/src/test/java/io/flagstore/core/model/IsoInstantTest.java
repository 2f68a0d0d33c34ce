package io.flagstore.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class IsoInstantTest {
    private static final long FIRST_SECOND =
            Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST_SECOND =
            Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    private static final String EDITS = "0123456789-:TZ.x+ ";

    /** What Instant.parse says: the instant, or the exception's class. */
    private static Object outcome(String text, boolean fast) {
        try {
            return fast ? IsoInstant.parse(text) : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return DateTimeParseException.class;
        }
    }

    @Test
    void theFormsWritersProduceParseAsInstantParseDoes() {
        for (String text : new String[] {
            "2027-01-31T09:30:00Z",
            "2027-01-31T09:30:00.123Z",
            "2024-02-29T23:59:59.999999999Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.5Z"
        }) {
            assertThat(IsoInstant.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void textOutsideTheFastFormIsLeftToInstantParse() {
        for (String text : new String[] {
            "2023-02-29T00:00:00Z", // no such day
            "2027-01-31T24:00:00Z",
            "2027-06-30T23:59:60Z", // a leap second
            "2027-01-31T09:30:00.Z",
            "2027-01-31T09:30:00+01:00",
            "2027-01-31t09:30:00z",
            "+12027-01-31T09:30:00Z",
            "2027-1-31T09:30:00Z",
            "2027-01-31T09:30:00.1234567890Z",
            "２０２７-01-31T09:30:00Z"
        }) {
            assertThat(outcome(text, true)).as(text).isEqualTo(outcome(text, false));
        }
    }

    @RepeatedTest(50)
    void randomInstantsAndEditsOfThemParseAsInstantParseDoes(RepetitionInfo repetition) {
        long seed = 0x1507_0000L + repetition.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 400; i++) {
            Instant instant = Instant.ofEpochSecond(
                    random.nextLong(FIRST_SECOND, LAST_SECOND + 1), random.nextInt(1_000_000_000));
            ChronoUnit[] units = {ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS, ChronoUnit.NANOS};
            String text =
                    instant.truncatedTo(units[random.nextInt(units.length)]).toString();
            if (random.nextBoolean()) {
                text = edit(text, random);
            }
            assertThat(outcome(text, true)).as("seed %d: %s", seed, text).isEqualTo(outcome(text, false));
        }
    }

    /** What {@code IsoInstant.format} writes, or {@code toString} where it declines (as the writer falls back). */
    private static String formatted(Instant instant) {
        char[] text = new char[IsoInstant.MAX_LENGTH];
        int length = IsoInstant.format(instant, text);
        return length < 0 ? instant.toString() : new String(text, 0, length);
    }

    @Test
    void instantsFormatAsToStringDoesAndTheYearsBeyondAreLeftToIt() {
        for (String text : new String[] {
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "1970-01-01T00:00:00.000000001Z",
            "2024-02-29T12:00:00.100Z",
            "2027-01-31T09:30:00.000100Z"
        }) {
            Instant instant = Instant.parse(text);
            assertThat(formatted(instant)).as(text).isEqualTo(instant.toString());
        }
        char[] into = new char[IsoInstant.MAX_LENGTH];
        assertThat(IsoInstant.format(Instant.parse("+10000-01-01T00:00:00Z"), into))
                .isEqualTo(-1);
        assertThat(IsoInstant.format(Instant.parse("-0001-12-31T23:59:59Z"), into))
                .isEqualTo(-1);
        assertThat(IsoInstant.format(Instant.MAX, into)).isEqualTo(-1);
        assertThat(IsoInstant.format(Instant.MIN, into)).isEqualTo(-1);
    }

    @RepeatedTest(50)
    void randomInstantsFormatAsToStringDoes(RepetitionInfo repetition) {
        long seed = 0x1508_0000L + repetition.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        ChronoUnit[] units = {ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS, ChronoUnit.NANOS};
        for (int i = 0; i < 400; i++) {
            Instant instant = Instant.ofEpochSecond(
                            random.nextLong(FIRST_SECOND - 86_400, LAST_SECOND + 86_401), random.nextInt(1_000_000_000))
                    .truncatedTo(units[random.nextInt(units.length)]);
            assertThat(formatted(instant)).as("seed %d: %s", seed, instant).isEqualTo(instant.toString());
        }
    }

    private static String edit(String text, SplittableRandom random) {
        StringBuilder edited = new StringBuilder(text);
        int at = random.nextInt(edited.length());
        char c = EDITS.charAt(random.nextInt(EDITS.length()));
        switch (random.nextInt(3)) {
            case 0 -> edited.setCharAt(at, c);
            case 1 -> edited.deleteCharAt(at);
            default -> edited.insert(at, c);
        }
        return edited.toString();
    }
}
