package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncResultTest {
    @Test
    void parsesTheScriptReplySplittingDeletedFlagsFromSegments() {
        List<Object> reply = List.of(
                42L,
                "epoch-1",
                7L,
                0L,
                List.of("a", List.of("key", "a", "version", "40"), "gone-hash", List.of()),
                List.of("staff", List.of("key", "staff")),
                List.of("old", "41", "segment:beta", "42"));

        SyncResult result = SyncResult.parse(reply);

        assertThat(result.version()).isEqualTo(42);
        assertThat(result.epoch()).isEqualTo("epoch-1");
        assertThat(result.deletedTrimmedTo()).isEqualTo(7);
        assertThat(result.full()).isFalse();
        assertThat(result.flags())
                .containsEntry("a", Map.of("key", "a", "version", "40"))
                .containsEntry("gone-hash", Map.of());
        assertThat(result.segments()).containsEntry("staff", Map.of("key", "staff"));
        assertThat(result.deletedFlags()).containsExactly("old");
        assertThat(result.deletedSegments()).containsExactly("beta");
        assertThat(result.namespaceMissing()).isFalse();
    }

    @Test
    void aNamespaceWithoutVersionAndEpochIsMissing() {
        SyncResult result = SyncResult.parse(List.of(0L, "", 0L, 1L, List.of(), List.of(), List.of()));

        assertThat(result.full()).isTrue();
        assertThat(result.namespaceMissing()).isTrue();
    }
}
