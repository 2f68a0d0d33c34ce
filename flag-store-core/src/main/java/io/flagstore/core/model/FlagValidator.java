package io.flagstore.core.model;

import static io.flagstore.core.model.FieldPath.field;
import static io.flagstore.core.model.FieldPath.index;
import static io.flagstore.core.model.FieldPath.member;
import static io.flagstore.core.model.Problems.quote;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.core.InvalidFlagException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks flag and segment definitions, reporting every problem, each as {@code path: problem} with the
 * JSON path of the field, such as {@code rules[0].clauses[1].values[0]: invalid regular expression:
 * Unclosed group near index 4}. The rules and limits are listed in docs/flag-format.md.
 *
 * <p>{@link #problems(Flag)} checks one flag on its own; {@link #problemsInSet} checks references
 * between the flags and segments of a set (prerequisites, prerequisite cycles, segments). {@link
 * FlagJson} runs the per-item checks on everything it reads.
 *
 * <p>All methods are static and thread-safe; arguments must not be null.
 */
public final class FlagValidator {
    static final NameSyntax KEY = new NameSyntax("a-z0-9", "a-z0-9._-", 128);
    static final NameSyntax NAME = new NameSyntax("A-Za-z0-9", "A-Za-z0-9._-", 64);
    static final NameSyntax TAG = new NameSyntax("a-z0-9", "a-z0-9._:-", 64);
    static final String KEY_SYNTAX =
            "expected lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, at most 128 characters";
    private static final String NAME_SYNTAX =
            "expected letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters";

    private FlagValidator() {}

    /**
     * Every problem of one flag on its own, in field order.
     *
     * @return the problems, empty when the flag is valid
     */
    public static List<String> problems(Flag flag) {
        Problems problems = new Problems("flag");
        check(flag, FieldPath.ROOT, problems);
        return problems.list();
    }

    /**
     * Every problem of one segment on its own.
     *
     * @return the problems, empty when the segment is valid
     */
    public static List<String> problems(Segment segment) {
        Problems problems = new Problems("segment");
        check(segment, FieldPath.ROOT, problems);
        return problems.list();
    }

    /**
     * Checks one flag on its own.
     *
     * @throws InvalidFlagException listing every problem, if there is any
     */
    public static void validate(Flag flag) {
        Problems problems = new Problems("flag");
        check(flag, FieldPath.ROOT, problems);
        problems.throwIfAny();
    }

    /**
     * Every problem with the references between the flags and segments of a whole set: a prerequisite
     * naming a flag that is not in the set or a variant that flag does not have, prerequisite cycles
     * (reported once each, as {@code a -> b -> a}), and {@code inSegment} clauses naming a segment not
     * in the set, and items stored under another key than their own. Each problem starts with {@code
     * flag <key>:} or {@code segment <key>:}. Items are not checked on their own here
     * (see {@link #problems(Flag)}).
     *
     * @param flags the set's flags by key
     * @param segments the set's segments by key
     * @return the problems, in flag key order; empty when all references resolve
     */
    public static List<String> problemsInSet(Map<String, Flag> flags, Map<String, Segment> segments) {
        Objects.requireNonNull(segments, "segments");
        return SetReferenceCheck.problems(flags, segments);
    }

    static void check(Flag flag, FieldPath base, Problems p) {
        checkKey(flag.key(), field(base, "key"), "flag", p);
        Set<String> variants = flag.variants().keySet();
        checkVariants(flag, field(base, "variants"), p);
        checkReference(flag.offVariant(), variants, field(base, "offVariant"), p);
        checkTargets(flag, field(base, "targets"), p);
        checkRules(flag, field(base, "rules"), p);
        checkServe(flag.fallthrough(), variants, field(base, "fallthrough"), p);
        checkPrerequisites(flag, field(base, "prerequisites"), p);
        checkExperiment(flag, field(base, "experiment"), p);
        checkLength(flag.salt(), Limits.NAME_LENGTH, field(base, "salt"), p);
        checkLength(flag.description(), Limits.DESCRIPTION_LENGTH, field(base, "description"), p);
        checkLength(flag.owner(), Limits.NAME_LENGTH, field(base, "owner"), p);
        checkTags(flag.tags(), field(base, "tags"), p);
        if (flag.expiresAt() != null
                && flag.createdAt() != null
                && flag.expiresAt().isBefore(flag.createdAt())) {
            p.add(field(base, "expiresAt"), flag.expiresAt() + " is before createdAt " + flag.createdAt());
        }
        checkLength(flag.updatedBy(), Limits.NAME_LENGTH, field(base, "updatedBy"), p);
        checkVersion(flag.version(), field(base, "version"), p);
        checkSize(FlagJson.compactSize(flag), Limits.FLAG_JSON_BYTES, base, p);
    }

    static void check(Segment segment, FieldPath base, Problems p) {
        checkKey(segment.key(), field(base, "key"), "segment", p);
        checkLength(segment.description(), Limits.DESCRIPTION_LENGTH, field(base, "description"), p);
        Set<String> included = checkContextKeys(segment.included(), Limits.SEGMENT_KEYS, field(base, "included"), p);
        List<String> excluded = segment.excluded();
        checkContextKeys(excluded, Limits.SEGMENT_KEYS, field(base, "excluded"), p);
        for (int i = 0; i < excluded.size(); i++) {
            if (included.contains(excluded.get(i))) {
                p.add(index(field(base, "excluded"), i), quote(excluded.get(i)) + " is also included");
            }
        }
        FieldPath rulesPath = field(base, "rules");
        checkCount(segment.rules().size(), Limits.SEGMENT_RULES, "rules", rulesPath, p);
        for (int i = 0; i < segment.rules().size(); i++) {
            ClauseCheck.check(segment.rules().get(i), false, field(index(rulesPath, i), "clauses"), p);
        }
        checkVersion(segment.version(), field(base, "version"), p);
        checkSize(FlagJson.compactSize(segment), Limits.SEGMENT_JSON_BYTES, base, p);
    }

    private static void checkKey(String key, FieldPath path, String what, Problems p) {
        if (!KEY.matches(key)) {
            p.add(
                    path,
                    (key.isEmpty() ? "empty" : quote(key) + " is not a valid " + what + " key") + " (" + KEY_SYNTAX
                            + ")");
        }
    }

    private static void checkName(String name, String what, FieldPath path, Problems p) {
        if (!NAME.matches(name)) {
            p.add(
                    path,
                    (name.isEmpty() ? "empty " + what : quote(name) + " is not a valid " + what) + " (" + NAME_SYNTAX
                            + ")");
        }
    }

    private static void checkVariants(Flag flag, FieldPath path, Problems p) {
        if (flag.variants().isEmpty()) {
            p.add(path, "a flag needs at least one variant");
            return;
        }
        checkCount(flag.variants().size(), Limits.VARIANTS, "variants", path, p);
        String type = flag.type().name().toLowerCase(Locale.ROOT);
        flag.variants().forEach((name, value) -> {
            FieldPath at = member(path, name);
            checkName(name, "variant name", at, p);
            boolean ok =
                    switch (flag.type()) {
                        case BOOLEAN -> value.isBoolean();
                        case STRING -> value.isTextual();
                        case NUMBER -> value.isNumber() && Double.isFinite(value.doubleValue());
                        case JSON -> !value.isNull() && allNumbersFinite(value);
                    };
            if (!ok) {
                p.add(
                        at,
                        "expected " + expectedValue(flag.type()) + " for a " + type + " flag, got "
                                + TreeReader.kind(value));
            }
        });
    }

    private static String expectedValue(FlagType type) {
        return switch (type) {
            case BOOLEAN -> "true or false";
            case STRING -> "a string";
            case NUMBER -> "a finite number";
            case JSON -> "a JSON value other than null, with finite numbers";
        };
    }

    private static boolean allNumbersFinite(JsonNode value) {
        if (value.isNumber()) {
            return Double.isFinite(value.doubleValue());
        }
        for (JsonNode child : value) {
            if (!allNumbersFinite(child)) {
                return false;
            }
        }
        return true;
    }

    /** Checks a variant reference; skipped when the flag has no variants (already reported). */
    private static void checkReference(String variant, Set<String> variants, FieldPath path, Problems p) {
        if (!variants.isEmpty() && !variants.contains(variant)) {
            p.add(path, "unknown variant " + quote(variant) + " (variants: " + String.join(", ", variants) + ")");
        }
    }

    private static void checkTargets(Flag flag, FieldPath path, Problems p) {
        checkCount(flag.targets().size(), Limits.VARIANTS, "target variants", path, p);
        Map<String, String> variantOf = new HashMap<>();
        flag.targets().forEach((variant, keys) -> {
            FieldPath at = member(path, variant);
            if (!flag.variants().isEmpty() && !flag.variants().containsKey(variant)) {
                p.add(
                        at,
                        "unknown variant " + quote(variant) + " (variants: "
                                + String.join(", ", flag.variants().keySet()) + ")");
            }
            checkContextKeys(keys, Limits.TARGETS_PER_VARIANT, at, p);
            for (int i = 0; i < keys.size(); i++) {
                String other = variantOf.putIfAbsent(keys.get(i), variant);
                if (other != null && !other.equals(variant)) {
                    p.add(index(at, i), quote(keys.get(i)) + " is also a target of variant " + quote(other));
                }
            }
        });
    }

    /** Checks a list of context keys: count, emptiness, length, duplicates. Returns the distinct keys. */
    private static Set<String> checkContextKeys(List<String> keys, int max, FieldPath path, Problems p) {
        checkCount(keys.size(), max, "keys", path, p);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            FieldPath at = index(path, i);
            if (key.isEmpty()) {
                p.add(at, "empty context key");
            } else if (key.length() > Limits.VALUE_LENGTH) {
                p.add(at, "context key longer than " + Limits.VALUE_LENGTH + " characters");
            }
            if (!seen.add(key)) {
                p.add(at, quote(key) + " is listed twice");
            }
        }
        return seen;
    }

    private static void checkRules(Flag flag, FieldPath path, Problems p) {
        checkCount(flag.rules().size(), Limits.RULES, "rules", path, p);
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < flag.rules().size(); i++) {
            Rule rule = flag.rules().get(i);
            FieldPath at = index(path, i);
            checkName(rule.id(), "rule id", field(at, "id"), p);
            Integer previous = ids.putIfAbsent(rule.id(), i);
            if (previous != null) {
                p.add(
                        field(at, "id"),
                        "duplicate rule id " + quote(rule.id()) + " (also " + index(path, previous) + ")");
            }
            checkLength(rule.description(), Limits.DESCRIPTION_LENGTH, field(at, "description"), p);
            ClauseCheck.check(rule.clauses(), true, field(at, "clauses"), p);
            checkServe(rule.serve(), flag.variants().keySet(), field(at, "serve"), p);
        }
    }

    private static void checkServe(Serve serve, Set<String> variants, FieldPath path, Problems p) {
        if ((serve.variant() == null) == (serve.rollout() == null)) {
            p.add(path, "expected exactly one of a variant or a rollout");
            return;
        }
        if (serve.variant() != null) {
            checkReference(serve.variant(), variants, field(path, "variant"), p);
            return;
        }
        FieldPath rolloutPath = field(path, "rollout");
        Rollout rollout = serve.rollout();
        FieldPath slicesPath = field(rolloutPath, "variants");
        if (rollout.variants().isEmpty()) {
            p.add(slicesPath, "a rollout needs at least one variant");
        }
        checkCount(rollout.variants().size(), Limits.ROLLOUT_VARIANTS, "variants", slicesPath, p);
        long thousandths = 0;
        boolean weightsOk = true;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rollout.variants().size(); i++) {
            WeightedVariant slice = rollout.variants().get(i);
            FieldPath at = index(slicesPath, i);
            checkReference(slice.variant(), variants, field(at, "variant"), p);
            if (!seen.add(slice.variant())) {
                p.add(field(at, "variant"), quote(slice.variant()) + " is listed twice");
            }
            String problem = weightProblem(slice.weight());
            if (problem != null) {
                p.add(field(at, "weight"), problem);
                weightsOk = false;
            } else {
                thousandths += Math.round(slice.weight() * 1000);
            }
        }
        if (weightsOk && !rollout.variants().isEmpty() && thousandths != 100_000) {
            p.add(
                    slicesPath,
                    "weights sum to "
                            + BigDecimal.valueOf(thousandths, 3)
                                    .stripTrailingZeros()
                                    .toPlainString() + ", expected exactly 100");
        }
        if (rollout.bucketBy() != null) {
            if (rollout.bucketBy().isEmpty()) {
                p.add(field(rolloutPath, "bucketBy"), "empty attribute name (leave bucketBy out to use the key)");
            }
            checkLength(rollout.bucketBy(), Limits.NAME_LENGTH, field(rolloutPath, "bucketBy"), p);
        }
    }

    private static String weightProblem(double weight) {
        if (!Double.isFinite(weight)) {
            return "not a finite number";
        }
        String text = BigDecimal.valueOf(weight).stripTrailingZeros().toPlainString();
        if (weight < 0) {
            return text + " is negative";
        }
        if (weight > 100) {
            return text + " is over 100";
        }
        double scaled = weight * 1000;
        if (Math.abs(scaled - Math.rint(scaled)) > 1e-6) {
            return text + " has more than 3 decimals";
        }
        return null;
    }

    private static void checkPrerequisites(Flag flag, FieldPath path, Problems p) {
        checkCount(flag.prerequisites().size(), Limits.PREREQUISITES, "prerequisites", path, p);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < flag.prerequisites().size(); i++) {
            Prerequisite prerequisite = flag.prerequisites().get(i);
            FieldPath at = index(path, i);
            checkKey(prerequisite.flagKey(), field(at, "flagKey"), "flag", p);
            if (prerequisite.flagKey().equals(flag.key())) {
                p.add(field(at, "flagKey"), "a flag cannot be its own prerequisite");
            } else if (!seen.add(prerequisite.flagKey())) {
                p.add(field(at, "flagKey"), quote(prerequisite.flagKey()) + " is listed twice");
            }
            checkName(prerequisite.variant(), "variant name", field(at, "variant"), p);
        }
    }

    private static void checkExperiment(Flag flag, FieldPath path, Problems p) {
        Experiment experiment = flag.experiment();
        if (experiment == null) {
            return;
        }
        Rollout rollout = flag.experimentRollout();
        String rule = experiment.rule();
        if (rule != null) {
            if (flag.rules().stream().noneMatch(r -> r.id().equals(rule))) {
                p.add(field(path, "rule"), "no rule with id " + quote(rule));
            } else if (rollout == null) {
                p.add(
                        field(path, "rule"),
                        "rule " + quote(rule) + " serves a fixed variant; an experiment runs on a rollout");
            }
        } else if (rollout == null) {
            p.add(
                    path,
                    "the fallthrough serves a fixed variant; an experiment runs on a rollout (make the fallthrough"
                            + " a rollout, or name a rule that serves one in \"rule\")");
        }
        checkName(experiment.control(), "variant name", field(path, "control"), p);
        if (rollout != null) {
            List<String> arms =
                    rollout.variants().stream().map(WeightedVariant::variant).toList();
            if (arms.size() < 2) {
                p.add(
                        path,
                        "the experiment's rollout has " + arms.size()
                                + " variant; an experiment compares at least two");
            }
            if (!arms.contains(experiment.control())) {
                p.add(
                        field(path, "control"),
                        quote(experiment.control()) + " is not one of the rollout's variants ("
                                + String.join(", ", arms) + ")");
            }
        }
        checkLength(experiment.hypothesis(), Limits.DESCRIPTION_LENGTH, field(path, "hypothesis"), p);
        FieldPath metricsPath = field(path, "metrics");
        if (experiment.metrics().isEmpty()) {
            p.add(metricsPath, "an experiment needs at least one metric (the name passed to track)");
        }
        checkCount(experiment.metrics().size(), Limits.EXPERIMENT_METRICS, "metrics", metricsPath, p);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < experiment.metrics().size(); i++) {
            String metric = experiment.metrics().get(i);
            checkName(metric, "metric name", index(metricsPath, i), p);
            if (!seen.add(metric)) {
                p.add(index(metricsPath, i), quote(metric) + " is listed twice");
            }
        }
        if (experiment.stopAt() != null && !experiment.stopAt().isAfter(experiment.startAt())) {
            p.add(field(path, "stopAt"), experiment.stopAt() + " is not after startAt " + experiment.startAt());
        }
    }

    private static void checkTags(List<String> tags, FieldPath path, Problems p) {
        checkCount(tags.size(), Limits.TAGS, "tags", path, p);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            if (!TAG.matches(tag)) {
                p.add(
                        index(path, i),
                        quote(tag) + " is not a valid tag (expected lower-case letters, digits, "
                                + "'.', '_', ':' or '-', starting with a letter or digit, at most 64 characters)");
            } else if (!seen.add(tag)) {
                p.add(index(path, i), quote(tag) + " is listed twice");
            }
        }
    }

    /** Reports a count of {@code what} over the limit {@code max}. */
    static void checkCount(int count, int max, String what, FieldPath path, Problems p) {
        if (count > max) {
            p.add(path, count + " " + what + ", over the limit of " + max);
        }
    }

    /** Reports a text longer than {@code max} characters; {@code null} passes. */
    static void checkLength(String value, int max, FieldPath path, Problems p) {
        if (value != null && value.length() > max) {
            p.add(path, value.length() + " characters, over the limit of " + max);
        }
    }

    private static void checkVersion(long version, FieldPath path, Problems p) {
        if (version < 0) {
            p.add(path, version + " is negative");
        }
    }

    private static void checkSize(long size, int max, FieldPath path, Problems p) {
        if (size > max) {
            p.add(path, "the JSON form is " + size + " bytes, over the limit of " + max + " bytes");
        }
    }
}
