package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeMessageTest {

    private static ObjectNode tree(String key) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("key", key);
        node.put("enabled", true);
        node.putObject("variants").put("on", true).put("off", false);
        return node;
    }

    @Test
    void encodeThenDecodeRoundTrips() {
        ChangeMessage msg = new ChangeMessage(
                42,
                "3f2c",
                1732540000123L,
                "batch",
                "alice \"the admin\"",
                List.of(tree("a"), tree("b")),
                List.of("gone"),
                List.of(JsonNodeFactory.instance.objectNode().put("key", "staff")),
                List.of("old-seg"));
        assertThat(ChangeMessage.decode(msg.encode())).isEqualTo(msg);
    }

    @Test
    void encodesInTheDocumentedShape() {
        ChangeMessage msg =
                new ChangeMessage(7, "e1", 5, "disable", "bob", List.of(tree("k")), List.of(), List.of(), List.of());
        assertThat(msg.encode())
                .isEqualTo("{\"v\":7,\"epoch\":\"e1\",\"ts\":5,\"op\":\"disable\",\"actor\":\"bob\","
                        + "\"flags\":[{\"key\":\"k\",\"enabled\":true,\"variants\":{\"on\":true,\"off\":false}}],"
                        + "\"deleted\":[],\"segments\":[],\"deletedSegments\":[]}");
    }

    @Test
    void missingListsDecodeAsEmpty() {
        ChangeMessage msg = ChangeMessage.decode("{\"v\":1,\"epoch\":\"e\",\"ts\":2,\"op\":\"create\"}");
        assertThat(msg.flags()).isEmpty();
        assertThat(msg.deletedSegments()).isEmpty();
        assertThat(msg.actor()).isNull();
    }

    @Test
    void rejectsGarbageWithAClearMessage() {
        String ok = "\"epoch\":\"e\",\"ts\":2,\"op\":\"create\"";
        String[][] cases = {
            {"hello", "not JSON"},
            {"[1,2]", "not a JSON object"},
            {"{" + ok + "}", "'v' must be a positive integer"},
            {"{\"v\":0," + ok + "}", "'v' must be a positive integer"},
            {"{\"v\":\"3\"," + ok + "}", "'v' must be a positive integer"},
            {"{\"v\":3,\"ts\":2,\"op\":\"create\"}", "'epoch'"},
            {"{\"v\":3,\"epoch\":\"e\",\"op\":\"create\"}", "'ts'"},
            {"{\"v\":3," + ok + ",\"flags\":{}}", "'flags' must be an array"},
            {"{\"v\":3," + ok + ",\"flags\":[{\"nokey\":1}]}", "'key'"},
            {"{\"v\":3," + ok + ",\"deleted\":[1]}", "'deleted' must be a string"},
            {"{\"v\":3," + ok + "} trailing", "not JSON"},
            {"{\"v\":3,\"v\":4," + ok + "}", "not JSON"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> ChangeMessage.decode(c[0]))
                    .as(c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("malformed change message")
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void aClaimIsReadFromTheStartWhateverFollows() {
        String header = ChangeMessage.header(42, "e1", 1_700_000_000_000L);

        assertThat(ChangeMessage.claim(header + "\"op\":\"update\",\"flags\":[{\"key\":\"a\"}]}"))
                .isEqualTo(new ChangeMessage.Claim(42, "e1"));
        assertThat(ChangeMessage.claim(header + "garbage after the claim"))
                .isEqualTo(new ChangeMessage.Claim(42, "e1"));
        assertThat(ChangeMessage.claim("{\"x\":{\"deep\":[1,2]},\"epoch\":\"e2\",\"v\":7}"))
                .isEqualTo(new ChangeMessage.Claim(7, "e2"));
    }

    @Test
    void aMessageWithoutAValidClaimIsRefused() {
        for (String bad : List.of(
                "{not json",
                "[1]",
                "{\"v\":0,\"epoch\":\"e\"}",
                "{\"v\":1.5,\"epoch\":\"e\"}",
                "{\"v\":\"1\",\"epoch\":\"e\"}",
                "{\"v\":1,\"epoch\":\"\"}",
                "{\"v\":99999999999999999999999,\"epoch\":\"e\"}",
                "{\"v\":1}")) {
            assertThatThrownBy(() -> ChangeMessage.claim(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("malformed change message:");
        }
    }

    /** The claim, or the class of what reading it threw. */
    private static Object claimOrError(java.util.function.Function<String, ChangeMessage.Claim> read, String text) {
        try {
            return read.apply(text);
        } catch (IllegalArgumentException e) {
            return IllegalArgumentException.class;
        }
    }

    @org.junit.jupiter.api.RepeatedTest(40)
    void theFastReadOfAClaimAgreesWithTheJsonParser(org.junit.jupiter.api.RepetitionInfo repetition) {
        long seed = 0xC1A1_0000L + repetition.getCurrentRepetition();
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        String[] versions = {
            "1",
            "42",
            "0",
            "007",
            "-3",
            "4.5",
            "1e3",
            "123456789012345678",
            "1234567890123456789",
            "99999999999999999999",
            "",
            "\"5\"",
            "7 "
        };
        String[] epochs = {
            "e1", "", "3f2a-uuid", "with \\\"quote", "tab\there", "caf\u00e9", "ünï", "a\\nb", "ctl\u0001x"
        };
        String[] rests = {
            "\"ts\":1,\"op\":\"update\"}",
            "\"ts\":1733000000123}",
            "\"ts\":",
            "\"ts\":01,",
            "\"ts\":1.5,",
            "\"ts\":7x",
            "}",
            "garbage",
            "",
            "\"v\":9,\"epoch\":\"other\"}"
        };
        for (int i = 0; i < 200; i++) {
            String text = "{\"v\":" + versions[random.nextInt(versions.length)] + ",\"epoch\":\""
                    + epochs[random.nextInt(epochs.length)] + "\"," + rests[random.nextInt(rests.length)];
            if (random.nextInt(4) == 0) { // an edit anywhere: a character replaced, dropped or added
                StringBuilder edited = new StringBuilder(text);
                int at = random.nextInt(edited.length());
                char c = "{}\":,0123456789 \\ve".charAt(random.nextInt(18));
                switch (random.nextInt(3)) {
                    case 0 -> edited.setCharAt(at, c);
                    case 1 -> edited.deleteCharAt(at);
                    default -> edited.insert(at, c);
                }
                text = edited.toString();
            }
            assertThat(claimOrError(ChangeMessage::claim, text))
                    .as("seed %d: %s", seed, text)
                    .isEqualTo(claimOrError(ChangeMessage::parsedClaim, text));
        }
    }
}
