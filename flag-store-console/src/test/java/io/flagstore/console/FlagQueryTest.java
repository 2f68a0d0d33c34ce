package io.flagstore.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagstore.core.model.Flag;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagQueryTest {
    private static final List<Flag> FLAGS = flags();

    private static List<Flag> flags() {
        List<Flag> flags = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            flags.add(Flag.booleanFlag(String.format("flag-%03d", i))
                    .enabled(i % 3 != 0)
                    .owner(i % 2 == 0 ? "team-a" : "team-b")
                    .tags(i % 10 == 0 ? List.of("payments") : List.of())
                    .description(i == 7 ? "The Checkout path" : null)
                    .build());
        }
        return flags;
    }

    private static FlagQuery query(String q, String tag, String owner, String state) {
        return new FlagQuery(q, tag, owner, state, "", 1, 50);
    }

    @Test
    void filtersCombine() {
        List<Flag> found = query("", "payments", "team-a", "off").filter(FLAGS);
        assertThat(found).extracting(Flag::key).containsExactly("flag-000", "flag-030", "flag-060", "flag-090");
    }

    @Test
    void searchLooksAtKeyAndDescriptionIgnoringCase() {
        assertThat(query("checkout", null, null, null).filter(FLAGS))
                .extracting(Flag::key)
                .containsExactly("flag-007");
        assertThat(query("flag-11", null, null, null).filter(FLAGS)).hasSize(10);
    }

    @Test
    void pagesSliceTheMatches() {
        FlagQuery third = new FlagQuery(null, null, null, null, null, 3, 50);
        List<Flag> page = third.page(third.filter(FLAGS));
        assertThat(page).extracting(Flag::key).first().isEqualTo("flag-100");
        assertThat(page).hasSize(20);
        assertThat(FlagQuery.pages(120, 50)).isEqualTo(3);
        assertThat(FlagQuery.pages(0, 50)).isEqualTo(1);
        assertThat(new FlagQuery(null, null, null, null, null, 9, 50).page(FLAGS))
                .isEmpty();
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThatThrownBy(() -> query("", "", "", "maybe"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code).isEqualTo(ApiError.Code.USAGE));
        assertThatThrownBy(() -> new FlagQuery("", "", "", "", "", 0, 50)).isInstanceOf(ApiError.class);
        assertThatThrownBy(() -> new FlagQuery("", "", "", "", "", 1, 100_000)).isInstanceOf(ApiError.class);
    }
}
