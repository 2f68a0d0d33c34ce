package io.flagstore.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps docs/flag-format.md and docs/flag-schema.json honest: every {@code ```json flag|segment|document}
 * block of the guide and every {@code examples} entry of the schema is read by {@link FlagJson} and
 * accepted by the schema, and the schema accepts everything {@link FlagJson} writes.
 */
class DocsExamplesTest {
    private static final Path DOCS = Path.of("..", "docs");
    private static final Pattern BLOCK = Pattern.compile("```json (flag|segment|document)\\n(.*?)```", Pattern.DOTALL);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, Schema> SCHEMAS =
            Map.of("flag", loadSchema("flag"), "segment", loadSchema("segment"), "document", loadSchema("document"));

    /** One example: its kind, where it is, and its text. */
    record Example(String kind, String where, String json) {
        @Override
        public String toString() {
            return where;
        }
    }

    static Stream<Example> guideExamples() throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(DOCS.resolve("flag-format.md")));
        List<Example> examples = new ArrayList<>();
        while (m.find()) {
            examples.add(new Example(m.group(1), "flag-format.md block " + (examples.size() + 1), m.group(2)));
        }
        return examples.stream();
    }

    static Stream<Example> schemaExamples() throws IOException {
        JsonNode defs =
                MAPPER.readTree(DOCS.resolve("flag-schema.json").toFile()).get("$defs");
        List<Example> examples = new ArrayList<>();
        for (String kind : List.of("flag", "segment", "document")) {
            JsonNode list = defs.get(kind).get("examples");
            for (int i = 0; i < list.size(); i++) {
                examples.add(new Example(
                        kind,
                        "$defs." + kind + ".examples[" + i + "]",
                        list.get(i).toString()));
            }
        }
        return examples.stream();
    }

    @Test
    void guideHasExamplesOfEveryKind() throws IOException {
        assertThat(guideExamples().map(Example::kind)).contains("flag", "segment", "document");
        assertThat(guideExamples()).hasSizeGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest
    @MethodSource({"guideExamples", "schemaExamples"})
    void exampleIsReadAndMatchesTheSchema(Example example) throws IOException {
        Object read =
                switch (example.kind()) {
                    case "segment" -> FlagJson.readSegment(example.json());
                    case "document" -> FlagJson.readDocument(example.json());
                    default -> FlagJson.read(example.json());
                };

        assertThat(read).isNotNull();
        assertThat(schemaErrors(example.kind(), MAPPER.readTree(example.json())))
                .as(example.where())
                .isEmpty();
    }

    static IntStream seeds() {
        return IntStream.range(0, 100);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void schemaAcceptsWhatTheWriterProduces(int seed) {
        FlagGenerator gen = new FlagGenerator(seed);
        Flag flag = gen.flag(List.of("other-flag"), List.of("some-segment"));
        ObjectNode segment = FlagJson.segmentToTree(gen.segment());

        assertThat(schemaErrors("flag", FlagJson.toTree(flag)))
                .as("seed %d: %s", seed, FlagJson.write(flag))
                .isEmpty();
        assertThat(schemaErrors("segment", segment))
                .as("seed %d: %s", seed, segment)
                .isEmpty();
    }

    @Test
    void schemaRefusesWhatTheValidatorRefuses() {
        assertThat(schemaErrors("flag", node("{\"key\":\"Bad Key\"}"))).isNotEmpty();
        assertThat(
                        schemaErrors(
                                "flag",
                                node(
                                        "{\"key\":\"k\",\"type\":\"string\",\"variants\":{\"a\":1},\"offVariant\":\"a\",\"fallthrough\":\"a\"}")))
                .isNotEmpty();
        assertThat(
                        schemaErrors(
                                "flag",
                                node(
                                        "{\"key\":\"k\",\"rules\":[{\"clauses\":[{\"attribute\":\"a\",\"op\":\"startWith\",\"values\":[1]}],\"serve\":\"on\"}]}")))
                .isNotEmpty();
        assertThat(schemaErrors(
                        "flag",
                        node("{\"key\":\"k\",\"fallthrough\":{\"variant\":\"on\",\"rollout\":{\"variants\":[]}}}")))
                .isNotEmpty();
    }

    private static JsonNode node(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> schemaErrors(String kind, JsonNode instance) {
        return SCHEMAS.get(kind).validate(instance).stream()
                .map(Error::toString)
                .toList();
    }

    /** The schema with its root narrowed to one kind (a flag also has the shape of a segment). */
    private static Schema loadSchema(String kind) {
        try {
            ObjectNode schema = (ObjectNode)
                    MAPPER.readTree(DOCS.resolve("flag-schema.json").toFile());
            schema.remove("anyOf");
            schema.put("$ref", "#/$defs/" + kind);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(schema);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
