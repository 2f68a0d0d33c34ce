package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiffTest {
    private static ObjectNode tree(String json) {
        return (ObjectNode) Json.read(json);
    }

    @Test
    void namesTheChangedFieldsAndIgnoresWhatTheStoreStamps() {
        assertThat(Diff.changedFields(
                        tree("{\"key\":\"a\",\"enabled\":false,\"owner\":\"x\",\"version\":1}"),
                        tree("{\"key\":\"a\",\"enabled\":true,\"version\":9,\"updatedBy\":\"bob\"}")))
                .containsExactly("enabled", "owner");
    }

    @Test
    void plansCreateUpdateUnchangedAndRepairInFileOrder() {
        Map<String, String> current = Map.of("b", "{\"key\":\"b\",\"v\":1}", "c", "{\"key\":\"c\",\"v\":1}");
        List<Diff.Change> plan = Diff.of(
                "flag",
                List.of(
                        "{\"key\":\"a\"}",
                        "{\"key\":\"b\",\"v\":2}",
                        "{\"key\":\"c\",\"v\":1}",
                        "{\"key\":\"d\",\"v\":1}"),
                current,
                Map.of("d", 7L),
                json -> tree(json).get("key").asText(),
                DiffTest::tree,
                json -> 5L);
        assertThat(plan)
                .extracting(Diff.Change::key, Diff.Change::action, Diff.Change::fields)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", Diff.Action.CREATE, List.of()),
                        org.assertj.core.groups.Tuple.tuple("b", Diff.Action.UPDATE, List.of("v")),
                        org.assertj.core.groups.Tuple.tuple("c", Diff.Action.UNCHANGED, List.of()),
                        org.assertj.core.groups.Tuple.tuple("d", Diff.Action.REPAIR, List.of()));
        assertThat(plan.get(3).currentVersion()).isEqualTo(7L);
    }
}
