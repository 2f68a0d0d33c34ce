package io.flagstore.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHashTest {
    @Test
    void verifiesTheRightPasswordOnly() {
        String hash = PasswordHash.hash("correct horse".toCharArray(), 1000);
        assertThat(PasswordHash.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(PasswordHash.verify("correct horsf".toCharArray(), hash)).isFalse();
    }

    @Test
    void saltsEveryHash() {
        assertThat(PasswordHash.hash("x".toCharArray(), 1000)).isNotEqualTo(PasswordHash.hash("x".toCharArray(), 1000));
    }

    @Test
    void defaultHashIsStrongAndHoldsNoPassword() {
        String hash = PasswordHash.hash("s3cret".toCharArray());
        assertThat(hash)
                .startsWith("pbkdf2-sha256:" + PasswordHash.ITERATIONS + ":")
                .doesNotContain("s3cret");
    }

    @Test
    void refusesWhatItDidNotWrite() {
        assertThatThrownBy(() -> PasswordHash.verify("x".toCharArray(), "plain-text"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("plain-text");
    }
}
