package io.flagstore.core;

import static io.flagstore.core.TestFlagDefinitions.bool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagstore.core.model.Segment;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryFlagSourceTest {
    private final List<Object> delivered = new ArrayList<>();
    private final FlagSink recorder = new FlagSink() {
        @Override
        public void init(FlagData data) {
            delivered.add(data);
        }

        @Override
        public void apply(FlagUpdate update) {
            delivered.add(update);
        }

        @Override
        public void stateChanged(SourceState state, String message) {
            delivered.add(state);
        }
    };

    @Test
    void startDeliversTheWholeSetThenValid() {
        InMemoryFlagSource source = InMemoryFlagSource.of(bool("a", true), bool("b", false));
        source.start(recorder);
        assertThat(delivered).hasSize(2);
        FlagData data = (FlagData) delivered.get(0);
        assertThat(data.version()).isEqualTo(1);
        assertThat(data.flags()).containsOnlyKeys("a", "b");
        assertThat(data.flags().get("a").version()).isEqualTo(1);
        assertThat(delivered.get(1)).isEqualTo(SourceState.VALID);
    }

    @Test
    void eachWriteIsOneVersionedUpdate() {
        InMemoryFlagSource source = InMemoryFlagSource.of(bool("a", true));
        source.start(recorder);
        delivered.clear();

        assertThat(source.put(bool("b", true))).isEqualTo(2);
        assertThat(source.apply(List.of(bool("c", true), bool("d", true)), List.of("a")))
                .isEqualTo(3);
        assertThat(source.delete("b")).isTrue();
        assertThat(source.delete("b")).isFalse();

        assertThat(delivered).hasSize(3);
        FlagUpdate batch = (FlagUpdate) delivered.get(1);
        assertThat(batch.version()).isEqualTo(3);
        assertThat(batch.flags()).extracting(f -> f.key()).containsExactly("c", "d");
        assertThat(batch.flags()).allSatisfy(f -> assertThat(f.version()).isEqualTo(3));
        assertThat(batch.deletedFlags()).containsExactly("a");
        assertThat(batch.writtenAt()).isNotNull();
        assertThat(((FlagUpdate) delivered.get(2)).deletedFlags()).containsExactly("b");
        assertThat(source.version()).isEqualTo(4);
    }

    @Test
    void setEnabledFlipsAndKeepsCreationTime() {
        InMemoryFlagSource source = InMemoryFlagSource.of(bool("a", true));
        var created = source.get("a").orElseThrow().createdAt();
        source.setEnabled("a", false);
        assertThat(source.get("a").orElseThrow().enabled()).isFalse();
        assertThat(source.get("a").orElseThrow().createdAt()).isEqualTo(created);
        assertThat(source.get("a").orElseThrow().updatedBy()).isEqualTo(InMemoryFlagSource.ACTOR);
        assertThatThrownBy(() -> source.setEnabled("nope", true))
                .isInstanceOf(FlagNotFoundException.class)
                .hasMessageContaining("nope");
    }

    @Test
    void segmentsAreVersionedToo() {
        InMemoryFlagSource source = InMemoryFlagSource.of();
        source.start(recorder);
        delivered.clear();
        long version = source.putSegment(new Segment("staff", null, List.of("alice"), List.of(), List.of(), null, 0));
        source.deleteSegment("staff");
        source.deleteSegment("staff");

        assertThat(delivered).hasSize(2);
        FlagUpdate put = (FlagUpdate) delivered.get(0);
        assertThat(put.segments()).singleElement().satisfies(s -> assertThat(s.version())
                .isEqualTo(version));
        assertThat(((FlagUpdate) delivered.get(1)).deletedSegments()).containsExactly("staff");
    }

    @Test
    void startsOnlyOnce() {
        InMemoryFlagSource source = InMemoryFlagSource.of();
        source.start(recorder);
        assertThatThrownBy(() -> source.start(recorder)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closedSourceDeliversNothing() {
        InMemoryFlagSource source = InMemoryFlagSource.of();
        source.start(recorder);
        source.close();
        delivered.clear();
        source.put(bool("a", true));
        source.reportState(SourceState.STALE, "x");
        assertThat(delivered).isEmpty();
        assertThat(source.get("a")).isPresent();
    }
}
