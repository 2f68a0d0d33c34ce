package io.flagstore.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagType;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Prerequisite;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Rule;
import io.flagstore.core.model.Segment;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/** Test-data builders for flags, clauses, segments, contexts and snapshots. */
final class TestFlags {
    private TestFlags() {}

    /** An enabled boolean flag: variants on/off, off variant off, fallthrough on. */
    static Flag.Builder bool(String key) {
        return Flag.booleanFlag(key).enabled(true);
    }

    /** An enabled string flag with variants named like their values; off variant and fallthrough the first. */
    static Flag.Builder string(String key, String... variants) {
        Flag.Builder b = Flag.builder(key, FlagType.STRING).enabled(true);
        for (String v : variants) {
            b.variant(v, TextNode.valueOf(v));
        }
        return b.offVariant(variants[0]).fallthrough(Serve.variant(variants[0]));
    }

    static Clause clause(String attribute, Operator op, Object... values) {
        return new Clause(
                attribute, op, Arrays.stream(values).map(TestFlags::json).toList(), false);
    }

    static Clause negated(Clause clause) {
        return new Clause(clause.attribute(), clause.op(), clause.values(), !clause.negate());
    }

    static Clause inSegment(String... segmentKeys) {
        return clause("key", Operator.IN_SEGMENT, (Object[]) segmentKeys);
    }

    static Rule rule(String id, String variant, Clause... clauses) {
        return new Rule(id, null, List.of(clauses), Serve.variant(variant));
    }

    static Rule rule(String id, Serve serve, Clause... clauses) {
        return new Rule(id, null, List.of(clauses), serve);
    }

    /** A rollout over alternating (variant, weight) pairs, bucketed by {@code bucketBy} (null = key). */
    static Serve rollout(String bucketBy, Object... variantWeightPairs) {
        List<WeightedVariant> slices = new ArrayList<>();
        for (int i = 0; i < variantWeightPairs.length; i += 2) {
            slices.add(new WeightedVariant(
                    (String) variantWeightPairs[i], ((Number) variantWeightPairs[i + 1]).doubleValue()));
        }
        return Serve.rollout(new Rollout(slices, bucketBy));
    }

    static Prerequisite prerequisite(String flagKey, String variant) {
        return new Prerequisite(flagKey, variant);
    }

    static Segment segment(String key, List<String> included, List<String> excluded, List<List<Clause>> rules) {
        return new Segment(key, null, included, excluded, rules, null, 0);
    }

    static JsonNode json(Object value) {
        if (value == null) {
            return NullNode.getInstance();
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value instanceof String s) {
            return TextNode.valueOf(s);
        }
        if (value instanceof Boolean b) {
            return BooleanNode.valueOf(b);
        }
        if (value instanceof Integer || value instanceof Long) {
            return LongNode.valueOf(((Number) value).longValue());
        }
        if (value instanceof Number n) {
            return DoubleNode.valueOf(n.doubleValue());
        }
        throw new IllegalArgumentException("no JSON for " + value);
    }

    /** A context from alternating (name, value) pairs: String, Number, Boolean, Instant or List. */
    static EvaluationContext ctx(String key, Object... nameValuePairs) {
        EvaluationContext.Builder b = EvaluationContext.builder(key);
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            String name = (String) nameValuePairs[i];
            Object value = nameValuePairs[i + 1];
            if (value instanceof String s) {
                b.set(name, s);
            } else if (value instanceof Boolean bool) {
                b.set(name, bool);
            } else if (value instanceof Instant instant) {
                b.set(name, instant);
            } else if (value instanceof List<?> list) {
                b.set(name, list);
            } else if (value instanceof Double || value instanceof Float) {
                b.set(name, ((Number) value).doubleValue());
            } else {
                b.set(name, ((Number) value).longValue());
            }
        }
        return b.build();
    }

    /** {@code count} seeds for a randomized test, fresh each run (the test prints the failing one). */
    static LongStream seeds(int count) {
        long base = System.nanoTime();
        return LongStream.range(0, count).map(i -> base + i);
    }

    static CompiledSnapshot snapshot(Flag... flags) {
        return snapshot(List.of(flags), List.of());
    }

    static CompiledSnapshot snapshot(List<Flag> flags, List<Segment> segments) {
        return CompiledSnapshot.of(new FlagData(1, byKey(flags, Flag::key), byKey(segments, Segment::key)));
    }

    static FlagUpdate upsert(long version, Flag... flags) {
        return new FlagUpdate(version, List.of(flags), List.of(), List.of(), List.of(), null);
    }

    static FlagUpdate delete(long version, String... keys) {
        return new FlagUpdate(version, List.of(), List.of(keys), List.of(), List.of(), null);
    }

    private static <T> Map<String, T> byKey(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.toMap(key, Function.identity()));
    }
}
