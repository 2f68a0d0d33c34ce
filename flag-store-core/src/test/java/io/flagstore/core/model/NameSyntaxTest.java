package io.flagstore.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/** The validator's name syntaxes accept exactly what the regular expressions they stand for accept. */
class NameSyntaxTest {
    private static final String ALPHABET = "az09AZ._:-/ \u00e9\u0000\u212a";

    @RepeatedTest(50)
    void eachSyntaxAgreesWithItsRegularExpression(RepetitionInfo repetition) {
        long seed = 0x4A3E_0000L + repetition.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        check(FlagValidator.KEY, "[a-z0-9][a-z0-9._-]{0,127}", random, seed);
        check(FlagValidator.NAME, "[A-Za-z0-9][A-Za-z0-9._-]{0,63}", random, seed);
        check(FlagValidator.TAG, "[a-z0-9][a-z0-9._:-]{0,63}", random, seed);
        check(new NameSyntax("A-Za-z0-9_-", "A-Za-z0-9_-", Integer.MAX_VALUE), "[A-Za-z0-9_-]+", random, seed);
    }

    private static void check(NameSyntax syntax, String regex, SplittableRandom random, long seed) {
        Pattern pattern = Pattern.compile(regex);
        for (int i = 0; i < 400; i++) {
            // lengths around the limits, mostly valid characters so that long valid names occur
            int length = random.nextInt(4) == 0 ? random.nextInt(3) : 60 + random.nextInt(72);
            StringBuilder s = new StringBuilder();
            for (int c = 0; c < length; c++) {
                s.append(
                        random.nextInt(50) == 0
                                ? ALPHABET.charAt(random.nextInt(ALPHABET.length()))
                                : (char) ('a' + random.nextInt(26)));
            }
            if (random.nextBoolean() && length > 0) {
                s.setCharAt(random.nextInt(length), ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String name = s.toString();
            assertThat(syntax.matches(name))
                    .as("%s against '%s', seed %d", regex, name, seed)
                    .isEqualTo(pattern.matcher(name).matches());
        }
    }
}
