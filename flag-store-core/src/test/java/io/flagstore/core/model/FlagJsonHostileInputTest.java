package io.flagstore.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.InvalidFlagException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile input for the JSON form (docs/operations.md, "Hostile input"): whatever the text,
 * {@link FlagJson#read}, {@link FlagJson#readSegment} and {@link FlagJson#readDocument} either
 * return a valid definition or throw {@link InvalidFlagException} with problems; never another
 * exception, never a hang. Seeded: a failure names the seed and the kind of input; rerun one kind
 * with {@code -Dflagstore.fuzz.seed=<base seed>}.
 */
class FlagJsonHostileInputTest {
    private static final long BASE_SEED = Long.getLong("flagstore.fuzz.seed", 0x20261125L);
    private static final int CASES = 200;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String JSONISH = "{}[]\":,0123456789.eE+-tfnrul\\ \n\u0000\u00e9\ud83d\ude00";

    /** Kinds of hostile input, each built from a seeded random source. */
    enum Kind {
        RANDOM_BYTES(r -> new String(bytes(r, r.nextInt(300)), StandardCharsets.UTF_8)),
        RANDOM_JSONISH(r -> text(r, JSONISH, r.nextInt(300))),
        TRUNCATED(r -> {
            String valid = FlagJson.write(new FlagGenerator(r.nextLong()).flag());
            return valid.substring(0, r.nextInt(valid.length()));
        }),
        CORRUPTED(r -> {
            StringBuilder json = new StringBuilder(FlagJson.write(new FlagGenerator(r.nextLong()).flag()));
            for (int edits = 1 + r.nextInt(3); edits > 0 && json.length() > 0; edits--) {
                int at = r.nextInt(json.length());
                switch (r.nextInt(3)) {
                    case 0 -> json.deleteCharAt(at);
                    case 1 -> json.insert(at, JSONISH.charAt(r.nextInt(JSONISH.length())));
                    default -> json.setCharAt(at, JSONISH.charAt(r.nextInt(JSONISH.length())));
                }
            }
            return json.toString();
        }),
        WRONG_TYPES(r -> {
            ObjectNode tree = validTree(r);
            List<Slot> slots = slots(tree);
            for (int n = 1 + r.nextInt(3); n > 0; n--) {
                slots.get(r.nextInt(slots.size())).set(randomValue(r, 3));
            }
            return tree.toString();
        }),
        OVERSIZED_STRINGS(r -> {
            ObjectNode tree = validTree(r);
            List<Slot> strings =
                    slots(tree).stream().filter(s -> s.get().isTextual()).toList();
            // around each limit (128, 256, 1,024, 4,096 characters) and, rarely, over the 1 MiB byte limit
            int[] lengths = {127, 128, 129, 255, 257, 1_023, 1_025, 4_095, 4_097, 70_000};
            int length = r.nextInt(8) == 0 ? 1_100_000 : lengths[r.nextInt(lengths.length)];
            strings.get(r.nextInt(strings.size())).set(NODES.textNode(text(r, "ab.-_0é😀", length)));
            return tree.toString();
        }),
        OVERSIZED_ARRAYS(r -> {
            ObjectNode tree = validTree(r);
            int n = new int[] {51, 101, 1_001, 10_001, 20_000}[r.nextInt(5)];
            switch (r.nextInt(4)) {
                case 0 -> {
                    ArrayNode tags = tree.putArray("tags");
                    for (int i = 0; i < n; i++) {
                        tags.add("t" + i);
                    }
                }
                case 1 -> {
                    ObjectNode variants = tree.putObject("variants");
                    for (int i = 0; i < n; i++) {
                        variants.put("v" + i, i);
                    }
                    tree.put("type", "number");
                }
                case 2 -> {
                    ArrayNode rules = tree.putArray("rules");
                    for (int i = 0; i < n; i++) {
                        ObjectNode rule = rules.addObject();
                        rule.putArray("clauses")
                                .addObject()
                                .put("attribute", "a")
                                .put("op", "in")
                                .putArray("values")
                                .add("x");
                        rule.put("serve", tree.path("offVariant").asText("off"));
                    }
                }
                default -> {
                    ArrayNode keys = tree.putObject("targets")
                            .putArray(tree.path("offVariant").asText("off"));
                    for (int i = 0; i < n; i++) {
                        keys.add("user-" + i);
                    }
                }
            }
            return tree.toString();
        }),
        DEEP_NESTING(r -> {
            int depth = new int[] {63, 64, 65, 1_000, 100_000}[r.nextInt(5)];
            boolean objects = r.nextBoolean();
            StringBuilder json = new StringBuilder("{\"key\":\"deep\",\"type\":\"json\",\"variants\":{\"on\":");
            json.append((objects ? "{\"a\":" : "[").repeat(depth));
            if (r.nextBoolean()) {
                json.append('1').append((objects ? "}" : "]").repeat(depth)).append("}}");
            }
            return json.toString();
        }),
        UNICODE(r -> {
            ObjectNode tree = validTree(r);
            String[] hostile = {
                "\u0000",
                "a\u0000b",
                "😀",
                "flag😀",
                "\ud800",
                "\udfff",
                "\u202eevil",
                "e\u0301",
                "ＡＢＣ",
                "\uFEFF",
                "line\nbreak",
                "tab\t",
                "\"quoted\"",
                "\\",
                "../../etc/passwd",
                "ß",
                "İ"
            };
            List<Slot> strings =
                    slots(tree).stream().filter(s -> s.get().isTextual()).toList();
            for (int n = 1 + r.nextInt(3); n > 0; n--) {
                strings.get(r.nextInt(strings.size())).set(NODES.textNode(hostile[r.nextInt(hostile.length)]));
            }
            // also as property names: of the flag, of variants, of targets
            tree.put(hostile[r.nextInt(hostile.length)], "unknown property");
            if (tree.get("variants") instanceof ObjectNode variants) {
                variants.set(
                        hostile[r.nextInt(hostile.length)], variants.elements().next());
            }
            return tree.toString();
        }),
        HUGE_NUMBERS(r -> {
            String[] numbers = {
                "1e400",
                "-1e400",
                "1e-400",
                "123456789012345678901234567890123456789",
                "9".repeat(2_000),
                "0." + "0".repeat(1_500) + "1",
                "-0",
                "9223372036854775808",
                "-9223372036854775809",
                "NaN",
                "Infinity"
            };
            String number = numbers[r.nextInt(numbers.length)];
            String[] places = {
                "{\"key\":\"n\",\"type\":\"number\",\"variants\":{\"a\":%s,\"b\":2},\"offVariant\":\"a\",\"fallthrough\":\"b\"}",
                "{\"key\":\"n\",\"version\":%s}",
                "{\"key\":\"n\",\"fallthrough\":{\"rollout\":[{\"variant\":\"on\",\"weight\":%s},{\"variant\":\"off\",\"weight\":0}]}}",
                "{\"key\":\"n\",\"rules\":[{\"clauses\":[{\"attribute\":\"age\",\"op\":\"gt\",\"values\":[%s]}],\"serve\":\"on\"}]}",
                "{\"key\":\"n\",\"enabled\":%s}"
            };
            return String.format(places[r.nextInt(places.length)], number);
        });

        private final Function<SplittableRandom, String> generator;

        Kind(Function<SplittableRandom, String> generator) {
            this.generator = generator;
        }

        /** Big inputs take milliseconds each: fewer of them keep the suite fast. */
        int cases() {
            return this == OVERSIZED_STRINGS || this == OVERSIZED_ARRAYS ? CASES / 8 : CASES;
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void hostileJsonGivesAValidDefinitionOrAListOfProblems(Kind kind) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < kind.cases(); i++) {
                long seed = BASE_SEED + kind.ordinal() * 1_000_003L + i;
                String json = kind.generator.apply(new SplittableRandom(seed));
                String where = kind + ", seed " + seed + " (base " + BASE_SEED + ", case " + i + ")";
                check(where + ", read", json, FlagJson::read, f -> FlagValidator.problems(f));
                check(where + ", readSegment", json, FlagJson::readSegment, s -> FlagValidator.problems(s));
                check(where + ", readDocument", json, FlagJson::readDocument, d -> List.of());
            }
        });
    }

    private static <T> void check(
            String where, String json, Function<String, T> reader, Function<T, List<String>> problemsOf) {
        T result;
        try {
            result = reader.apply(json);
        } catch (InvalidFlagException e) {
            assertThat(e.problems()).as(where).isNotEmpty().allSatisfy(p -> assertThat(p)
                    .as(where)
                    .isNotBlank());
            return;
        } catch (RuntimeException | StackOverflowError e) {
            fail(where + ": " + e + " on input " + preview(json), e);
            return;
        }
        assertThat(result).as(where).isNotNull();
        assertThat(problemsOf.apply(result))
                .as(where + ": accepted but invalid")
                .isEmpty();
    }

    private static String preview(String json) {
        return json.length() <= 300 ? json : json.substring(0, 300) + "... (" + json.length() + " chars)";
    }

    private static ObjectNode validTree(SplittableRandom r) {
        return FlagJson.toTree(new FlagGenerator(r.nextLong()).flag());
    }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static String text(SplittableRandom r, String alphabet, int length) {
        int[] codePoints = alphabet.codePoints().toArray();
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            sb.appendCodePoint(codePoints[r.nextInt(codePoints.length)]);
        }
        return sb.toString();
    }

    private static JsonNode randomValue(SplittableRandom r, int depth) {
        return switch (r.nextInt(depth > 0 ? 8 : 6)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(r.nextBoolean());
            case 2 -> NODES.numberNode(r.nextInt());
            case 3 -> NODES.numberNode(r.nextDouble() * 1e300);
            case 4 -> NODES.textNode(text(r, JSONISH, r.nextInt(10)));
            case 5 -> NODES.textNode("");
            case 6 -> {
                ArrayNode a = NODES.arrayNode();
                for (int i = r.nextInt(3); i > 0; i--) {
                    a.add(randomValue(r, depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = NODES.objectNode();
                for (int i = r.nextInt(3); i > 0; i--) {
                    o.set(text(r, "abcvariant", 1 + r.nextInt(6)), randomValue(r, depth - 1));
                }
                yield o;
            }
        };
    }

    /** A place holding a value in a tree: an object property or an array element. */
    private record Slot(JsonNode parent, String field, int index) {
        JsonNode get() {
            return field != null ? parent.get(field) : parent.get(index);
        }

        void set(JsonNode value) {
            if (field != null) {
                ((ObjectNode) parent).set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }
    }

    private static List<Slot> slots(JsonNode root) {
        List<Slot> out = new ArrayList<>();
        collect(root, out::add);
        return out;
    }

    private static void collect(JsonNode node, Consumer<Slot> out) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                out.accept(new Slot(object, e.getKey(), -1));
                collect(e.getValue(), out);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                out.accept(new Slot(array, null, i));
                collect(array.get(i), out);
            }
        }
    }
}
