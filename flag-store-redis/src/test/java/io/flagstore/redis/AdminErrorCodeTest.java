package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.StoreUnavailableException;
import io.flagstore.core.VersionConflictException;
import io.lettuce.core.RedisConnectionException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminErrorCodeTest {
    @Test
    void numbersAreUniqueAndStable() {
        assertThat(Arrays.stream(AdminErrorCode.values()).map(AdminErrorCode::number))
                .as("scripts rely on these numbers: changing one breaks them")
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
    }

    @Test
    void eachLibraryExceptionHasItsCode() {
        assertThat(AdminErrorCode.of(new FlagNotFoundException("x"))).isEqualTo(AdminErrorCode.NOT_FOUND);
        assertThat(AdminErrorCode.of(new VersionConflictException("x", 1, 2))).isEqualTo(AdminErrorCode.CONFLICT);
        assertThat(AdminErrorCode.of(new NamespaceNotEmptyException("ns", 3, 2, "file")))
                .isEqualTo(AdminErrorCode.CONFLICT);
        assertThat(AdminErrorCode.of(new NamespaceResetException("ns", 2, 9)))
                .isEqualTo(AdminErrorCode.NAMESPACE_RESET);
        assertThat(AdminErrorCode.of(new VersionRegressionException("ns", 3, 9, 2)))
                .isEqualTo(AdminErrorCode.VERSION_REGRESSED);
        assertThat(AdminErrorCode.of(new InvalidFlagException(List.of("bad")))).isEqualTo(AdminErrorCode.INVALID);
        assertThat(AdminErrorCode.of(new AccessDeniedException("NOPERM", "admin", null)))
                .isEqualTo(AdminErrorCode.DENIED);
        assertThat(AdminErrorCode.of(new IllegalArgumentException("bad percent")))
                .isEqualTo(AdminErrorCode.USAGE);
        assertThat(AdminErrorCode.of(new IllegalStateException("bug"))).isEqualTo(AdminErrorCode.ERROR);
    }

    @Test
    void theMoreSpecificUnavailableKindsWinOverUnavailable() {
        // These extend StoreUnavailableException, yet say more: whether the write happened.
        assertThat(AdminErrorCode.of(new WriteOutcomeUnknownException("disable", "no reply", null)))
                .isEqualTo(AdminErrorCode.OUTCOME_UNKNOWN);
        assertThat(AdminErrorCode.of(new AccessDeniedException("WRONGPASS", null)))
                .as("refused credentials are a connection failure, not a missing role")
                .isEqualTo(AdminErrorCode.UNAVAILABLE);
        assertThat(AdminErrorCode.of(new StoreUnavailableException("down", null)))
                .isEqualTo(AdminErrorCode.UNAVAILABLE);
    }

    @Test
    void aConnectionFailureAnywhereInTheCausesIsUnavailable() {
        RuntimeException wrapped = new RuntimeException("load failed", new RedisConnectionException("refused"));
        assertThat(AdminErrorCode.of(wrapped)).isEqualTo(AdminErrorCode.UNAVAILABLE);
    }
}
