package io.flagstore.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Generates random valid flags and segments from a seed, for property tests here and in other
 * modules (through the core test-jar). The same seed gives the same definitions. Generated values
 * use the node classes Jackson reads back (int-range numbers as {@link IntNode}), so that {@code
 * FlagJson.read(FlagJson.write(flag))} equals {@code flag}. Not thread-safe.
 *
 * <pre>{@code
 * FlagGenerator gen = new FlagGenerator(seed);
 * Flag flag = gen.flag();
 * }</pre>
 */
public final class FlagGenerator {
    private static final String KEY_START = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String KEY_CHARS = KEY_START + "._-";
    private static final String NAME_START = KEY_START + "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String NAME_CHARS = NAME_START + "._-";
    private static final String TEXT_CHARS = "abcXYZ 019-_./\\\"'\u00e9\u4e2d\ud83d\ude00\n\t";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SplittableRandom random;

    /** A generator whose output is determined by {@code seed}. */
    public FlagGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A random valid flag with no prerequisites or segment references (valid in any set). */
    public Flag flag() {
        return flag(List.of(), List.of());
    }

    /**
     * A random valid flag whose prerequisites (if any) name keys from {@code otherFlags} and whose
     * {@code inSegment} clauses (if any) name keys from {@code segmentKeys}. Prerequisite variants are
     * random names, so set-level validity is the caller's concern.
     */
    public Flag flag(List<String> otherFlags, List<String> segmentKeys) {
        String key = key();
        FlagType type = FlagType.values()[random.nextInt(FlagType.values().length)];
        Flag.Builder b = Flag.builder(key, type).enabled(random.nextBoolean());
        List<String> variants = new ArrayList<>();
        if (type == FlagType.BOOLEAN && random.nextInt(3) > 0) {
            variants.add(Flag.ON);
            variants.add(Flag.OFF);
            b.variant(Flag.ON, BooleanNode.TRUE).variant(Flag.OFF, BooleanNode.FALSE);
        } else {
            for (String name : distinct(1 + random.nextInt(5), this::name)) {
                variants.add(name);
                b.variant(name, value(type, 3));
            }
        }
        b.offVariant(pick(variants));
        Set<String> targeted = new HashSet<>();
        for (String variant : variants) {
            if (random.nextInt(3) == 0) {
                List<String> keys = new ArrayList<>();
                for (String k : distinct(1 + random.nextInt(4), () -> "user-" + random.nextInt(1000))) {
                    if (targeted.add(k)) {
                        keys.add(k);
                    }
                }
                b.target(variant, keys);
            }
        }
        List<String> ruleIds = distinct(random.nextInt(4), this::name);
        for (String id : ruleIds) {
            List<Clause> clauses = new ArrayList<>();
            for (int c = 1 + random.nextInt(3); c > 0; c--) {
                clauses.add(clause(segmentKeys));
            }
            b.rule(new Rule(id, random.nextBoolean() ? null : text(), clauses, serve(variants)));
        }
        b.fallthrough(serve(variants));
        List<String> candidates =
                otherFlags.stream().filter(k -> !k.equals(key)).toList();
        if (!candidates.isEmpty() && random.nextInt(3) == 0) {
            b.prerequisite(new Prerequisite(pick(candidates), name()));
        }
        if (random.nextBoolean()) {
            b.salt(text());
        }
        if (random.nextBoolean()) {
            b.description(text());
        }
        if (random.nextBoolean()) {
            b.owner("team-" + random.nextInt(100));
        }
        b.tags(distinct(random.nextInt(4), () -> "tag" + random.nextInt(10) + (random.nextBoolean() ? ":x" : "")));
        b.temporary(random.nextBoolean());
        Instant created = random.nextBoolean() ? instant() : null;
        b.createdAt(created);
        if (random.nextBoolean()) {
            b.expiresAt(created == null ? instant() : created.plusSeconds(random.nextInt(1_000_000)));
        }
        if (random.nextBoolean()) {
            b.updatedAt(instant()).updatedBy("user" + random.nextInt(50)).version(1 + random.nextInt(1_000_000));
        }
        Flag flag = b.build();
        return random.nextInt(3) == 0 ? withExperiment(flag) : flag;
    }

    /**
     * {@code flag} with an experiment on the fallthrough's or a rule's rollout of two or more slices,
     * or unchanged when it has none.
     */
    private Flag withExperiment(Flag flag) {
        List<String> places = new ArrayList<>(); // null: the fallthrough
        if (arms(flag.fallthrough()).size() > 1) {
            places.add(null);
        }
        flag.rules().stream().filter(r -> arms(r.serve()).size() > 1).forEach(r -> places.add(r.id()));
        if (places.isEmpty()) {
            return flag;
        }
        String rule = pick(places);
        Serve serve = rule == null
                ? flag.fallthrough()
                : flag.rules().stream()
                        .filter(r -> r.id().equals(rule))
                        .findFirst()
                        .orElseThrow()
                        .serve();
        Instant start = instant();
        return flag.toBuilder()
                .experiment(new Experiment(
                        pick(arms(serve)),
                        random.nextBoolean() ? null : text(),
                        distinct(1 + random.nextInt(3), this::name),
                        rule,
                        start,
                        random.nextBoolean() ? null : start.plusSeconds(1 + random.nextInt(1_000_000))))
                .build();
    }

    private static List<String> arms(Serve serve) {
        return serve.rollout() == null
                ? List.of()
                : serve.rollout().variants().stream()
                        .map(WeightedVariant::variant)
                        .toList();
    }

    /** A random valid segment. */
    public Segment segment() {
        List<String> included = distinct(random.nextInt(5), () -> "user-" + random.nextInt(1000));
        List<String> excluded = new ArrayList<>(distinct(random.nextInt(3), () -> "user-" + random.nextInt(1000)));
        excluded.removeAll(included);
        List<List<Clause>> rules = new ArrayList<>();
        for (int r = random.nextInt(3); r > 0; r--) {
            List<Clause> clauses = new ArrayList<>();
            for (int c = 1 + random.nextInt(3); c > 0; c--) {
                clauses.add(clause(List.of()));
            }
            rules.add(clauses);
        }
        long version = random.nextBoolean() ? 0 : 1 + random.nextInt(1000);
        return new Segment(
                key(),
                random.nextBoolean() ? null : text(),
                included,
                excluded,
                rules,
                version == 0 ? null : instant(),
                version);
    }

    /** A random valid clause; {@code inSegment} only when {@code segmentKeys} is not empty. */
    public Clause clause(List<String> segmentKeys) {
        Operator[] ops = Operator.values();
        Operator op = ops[random.nextInt(ops.length)];
        if (op == Operator.IN_SEGMENT && segmentKeys.isEmpty()) {
            op = Operator.IN;
        }
        List<JsonNode> values = new ArrayList<>();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            values.add(
                    switch (op) {
                        case IN, NOT_IN -> random.nextBoolean() ? TextNode.valueOf(text()) : value(FlagType.NUMBER, 0);
                        case STARTS_WITH, ENDS_WITH, CONTAINS -> TextNode.valueOf(text());
                        case MATCHES -> TextNode.valueOf(pick(List.of("^a.*z$", "[0-9]+", "(foo|bar)", "\\d{3}")));
                        case SEMVER_EQ, SEMVER_LT, SEMVER_GT -> TextNode.valueOf(
                                pick(List.of("1.2.3", "1.2", "2.0.0-rc.1", "10.0.0+build.7", "0.0.1-alpha.beta")));
                        case LT, LTE, GT, GTE -> value(FlagType.NUMBER, 0);
                        case BEFORE, AFTER -> TextNode.valueOf(instant().toString());
                        case IN_SEGMENT -> TextNode.valueOf(pick(segmentKeys));
                    });
        }
        String attribute = op == Operator.IN_SEGMENT ? "key" : pick(List.of("key", "country", "plan", "app.version"));
        return new Clause(attribute, op, values, random.nextInt(4) == 0);
    }

    /** A serve of one of {@code variants}: a variant, or a rollout whose weights sum to exactly 100. */
    public Serve serve(List<String> variants) {
        if (random.nextBoolean()) {
            return Serve.variant(pick(variants));
        }
        List<String> names = new ArrayList<>(variants);
        int slices = 1 + random.nextInt(names.size());
        List<WeightedVariant> weighted = new ArrayList<>();
        int left = 100_000;
        for (int i = 0; i < slices; i++) {
            String name = names.remove(random.nextInt(names.size()));
            int thousandths = i == slices - 1 ? left : random.nextInt(left + 1);
            left -= thousandths;
            weighted.add(new WeightedVariant(name, thousandths / 1000.0));
        }
        return Serve.rollout(new Rollout(weighted, random.nextBoolean() ? null : "orgId"));
    }

    /** A random valid flag key. */
    public String key() {
        return word(KEY_START, KEY_CHARS, 1 + random.nextInt(20));
    }

    /** A random valid variant name or rule id. */
    public String name() {
        return word(NAME_START, NAME_CHARS, 1 + random.nextInt(12));
    }

    private String word(String start, String chars, int length) {
        StringBuilder sb = new StringBuilder().append(start.charAt(random.nextInt(start.length())));
        for (int i = 1; i < length; i++) {
            sb.append(chars.charAt(random.nextInt(chars.length())));
        }
        return sb.toString();
    }

    private String text() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1 + random.nextInt(12); i > 0; i--) {
            int at = random.nextInt(TEXT_CHARS.length());
            char c = TEXT_CHARS.charAt(at);
            if (Character.isHighSurrogate(c)) {
                sb.append(c).append(TEXT_CHARS.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                sb.append(c);
            }
        }
        return sb.length() == 0 ? "x" : sb.toString();
    }

    private JsonNode value(FlagType type, int depth) {
        return switch (type) {
            case BOOLEAN -> BooleanNode.valueOf(random.nextBoolean());
            case STRING -> TextNode.valueOf(text());
            case NUMBER -> switch (random.nextInt(3)) {
                case 0 -> IntNode.valueOf(random.nextInt(-1000, 1000));
                case 1 -> LongNode.valueOf(random.nextLong(1L << 40, 1L << 50));
                default -> DoubleNode.valueOf(random.nextInt(-100_000, 100_000) / 64.0 + 0.5);
            };
            case JSON -> json(depth);
        };
    }

    private JsonNode json(int depth) {
        int kind = random.nextInt(depth > 0 ? 6 : 4);
        switch (kind) {
            case 0:
                return value(FlagType.BOOLEAN, 0);
            case 1:
                return value(FlagType.STRING, 0);
            case 2:
                return value(FlagType.NUMBER, 0);
            case 3:
                return random.nextBoolean() ? TextNode.valueOf(text()) : BooleanNode.TRUE;
            case 4:
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(random.nextInt(5) == 0 ? NODES.nullNode() : json(depth - 1));
                }
                return array;
            default:
                ObjectNode object = NODES.objectNode();
                for (String name : distinct(random.nextInt(4), this::name)) {
                    object.set(name, json(depth - 1));
                }
                return object;
        }
    }

    private Instant instant() {
        return Instant.ofEpochSecond(
                1_600_000_000L + random.nextInt(400_000_000), random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private <T> List<T> distinct(int count, Supplier<T> supplier) {
        Set<T> items = new LinkedHashSet<>();
        for (int tries = 0; items.size() < count && tries < count * 10; tries++) {
            items.add(supplier.get());
        }
        return new ArrayList<>(items);
    }
}
