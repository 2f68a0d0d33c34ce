package io.flagstore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {

    @Test
    void precedenceFollowsTheSemverSpecExample() {
        List<String> ordered = List.of(
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "1.0.1",
                "1.1.0",
                "2.0.0",
                "10.0.0");
        for (int i = 0; i + 1 < ordered.size(); i++) {
            assertThat(SemVer.parse(ordered.get(i)))
                    .as("%s < %s", ordered.get(i), ordered.get(i + 1))
                    .isLessThan(SemVer.parse(ordered.get(i + 1)));
        }
    }

    @Test
    void shortFormsMeanZeroForTheMissingParts() {
        assertThat(SemVer.parse("1.2")).isEqualTo(SemVer.parse("1.2.0"));
        assertThat(SemVer.parse("3")).isEqualTo(SemVer.parse("3.0.0"));
        assertThat(SemVer.parse("1.2-rc.1").toString()).isEqualTo("1.2.0-rc.1");
    }

    @Test
    void buildMetadataIsIgnoredForPrecedenceButKeptInText() {
        SemVer withBuild = SemVer.parse("1.2.3+build.7");

        assertThat(withBuild).isEqualByComparingTo(SemVer.parse("1.2.3")).isEqualTo(SemVer.parse("1.2.3+other"));
        assertThat(withBuild.hashCode()).isEqualTo(SemVer.parse("1.2.3").hashCode());
        assertThat(withBuild.toString()).isEqualTo("1.2.3+build.7");
    }

    @Test
    void hugeNumericPreReleaseIdentifiersCompareNumerically() {
        assertThat(SemVer.parse("1.0.0-99999999999999999999")).isGreaterThan(SemVer.parse("1.0.0-9999999999999999999"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "v1.2.3",
                "1.2.3.4",
                "01.2.3",
                "1..3",
                "1.2.x",
                "1.2.3-",
                "1.2.3-01",
                "1.2.3-a..b",
                "1.2.3+",
                "1.2.3-a_b",
                " 1.2.3",
                "-1.0.0"
            })
    void invalidVersionsAreRefusedWithAReason(String text) {
        assertThatThrownBy(() -> SemVer.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' is not a semantic version: ");
        assertThat(SemVer.tryParse(text)).isNull();
    }

    @Test
    void tryParseAcceptsNull() {
        assertThat(SemVer.tryParse(null)).isNull();
        assertThat(SemVer.tryParse("1.2.3")).isEqualTo(SemVer.parse("1.2.3"));
    }

    static IntStream seeds() {
        return IntStream.range(0, 100);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void orderIsATotalOrderConsistentWithEquals(int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<SemVer> versions = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            versions.add(SemVer.parse(randomVersion(random)));
        }
        for (SemVer a : versions) {
            assertThat(SemVer.parse(a.toString())).as("seed %d: %s", seed, a).isEqualTo(a);
            for (SemVer b : versions) {
                assertThat(Integer.signum(a.compareTo(b)))
                        .as("seed %d: %s vs %s", seed, a, b)
                        .isEqualTo(-Integer.signum(b.compareTo(a)));
                assertThat(a.compareTo(b) == 0)
                        .as("seed %d: %s vs %s", seed, a, b)
                        .isEqualTo(a.equals(b));
                for (SemVer c : versions) {
                    if (a.compareTo(b) <= 0 && b.compareTo(c) <= 0) {
                        assertThat(a)
                                .as("seed %d: %s <= %s <= %s", seed, a, b, c)
                                .isLessThanOrEqualTo(c);
                    }
                }
            }
        }
    }

    private static String randomVersion(SplittableRandom random) {
        StringBuilder sb = new StringBuilder()
                .append(random.nextInt(3))
                .append('.')
                .append(random.nextInt(3))
                .append('.')
                .append(random.nextInt(3));
        if (random.nextBoolean()) {
            sb.append('-');
            for (int i = random.nextInt(1, 4); i > 0; i--) {
                sb.append(
                        random.nextBoolean()
                                ? String.valueOf(random.nextInt(12))
                                : List.of("alpha", "beta", "rc", "a-1").get(random.nextInt(4)));
                if (i > 1) {
                    sb.append('.');
                }
            }
        }
        if (random.nextInt(4) == 0) {
            sb.append("+b").append(random.nextInt(10));
        }
        return sb.toString();
    }
}
