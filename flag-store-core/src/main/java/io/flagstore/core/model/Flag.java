package io.flagstore.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One feature flag: an immutable value. Structural checks only (non-null parts, defensive copies);
 * semantic validation (key syntax, references, weights, value types, regexes) is done by {@code
 * FlagValidator}, which collects every problem.
 *
 * <p>Evaluation order: disabled serves {@link #offVariant()}; then failed prerequisites serve the
 * off variant; then individual {@link #targets()}; then the first matching rule; then the
 * {@link #fallthrough()}.
 *
 * <p>Map components keep their declared order.
 *
 * @param key the flag key, {@code [a-z0-9][a-z0-9._-]{0,127}}
 * @param type the type of every variant value
 * @param enabled the switch; {@code false} serves the off variant to everyone (the kill switch)
 * @param variants named values, in declared order
 * @param offVariant the variant served while disabled
 * @param targets variant to the context keys that always get it
 * @param rules ordered rules
 * @param fallthrough what is served when no target or rule matched
 * @param prerequisites flags that must serve a given variant for this flag to be on
 * @param salt the bucketing salt ({@code null} or empty means the flag key)
 * @param description free text, or {@code null}
 * @param owner a team or person, or {@code null}
 * @param tags labels for filtering and batch operations
 * @param temporary whether the flag is meant to be removed (release flag) rather than permanent
 * @param expiresAt when a temporary flag should be gone, or {@code null}
 * @param createdAt creation time, or {@code null} before the first write
 * @param updatedAt time of the last write, or {@code null}
 * @param updatedBy actor of the last write, or {@code null}
 * @param version the namespace version of the last write (0 before the first write)
 * @param experiment the A/B experiment run on one of the flag's rollouts, or {@code null}
 */
public record Flag(
        String key,
        FlagType type,
        boolean enabled,
        Map<String, JsonNode> variants,
        String offVariant,
        Map<String, List<String>> targets,
        List<Rule> rules,
        Serve fallthrough,
        List<Prerequisite> prerequisites,
        String salt,
        String description,
        String owner,
        List<String> tags,
        boolean temporary,
        Instant expiresAt,
        Instant createdAt,
        Instant updatedAt,
        String updatedBy,
        long version,
        Experiment experiment) {

    /** Name of the variant a boolean flag serves when on, in {@link #killSwitch(String)}. */
    public static final String ON = "on";
    /** Name of the variant a boolean flag serves when off, in {@link #killSwitch(String)}. */
    public static final String OFF = "off";

    public Flag {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        if (!(variants instanceof OrderedMap<?, ?>)) {
            Map<String, JsonNode> variantCopy = new LinkedHashMap<>();
            variants.forEach((name, value) -> variantCopy.put(Canonical.of(name), value));
            variants = OrderedMap.copyOf(variantCopy);
        }
        offVariant = Canonical.of(Objects.requireNonNull(offVariant, "offVariant"));
        if (!(targets instanceof OrderedMap<?, ?>)) {
            Map<String, List<String>> targetCopy = new LinkedHashMap<>();
            targets.forEach((variant, keys) -> targetCopy.put(Canonical.of(variant), List.copyOf(keys)));
            targets = OrderedMap.copyOf(targetCopy);
        }
        rules = List.copyOf(rules);
        Objects.requireNonNull(fallthrough, "fallthrough");
        prerequisites = List.copyOf(prerequisites);
        tags = List.copyOf(tags.stream().map(Canonical::of).toList());
        owner = Canonical.of(owner);
        updatedBy = Canonical.of(updatedBy);
    }

    /** A flag without an experiment: the components as before experiments existed. */
    public Flag(
            String key,
            FlagType type,
            boolean enabled,
            Map<String, JsonNode> variants,
            String offVariant,
            Map<String, List<String>> targets,
            List<Rule> rules,
            Serve fallthrough,
            List<Prerequisite> prerequisites,
            String salt,
            String description,
            String owner,
            List<String> tags,
            boolean temporary,
            Instant expiresAt,
            Instant createdAt,
            Instant updatedAt,
            String updatedBy,
            long version) {
        this(
                key,
                type,
                enabled,
                variants,
                offVariant,
                targets,
                rules,
                fallthrough,
                prerequisites,
                salt,
                description,
                owner,
                tags,
                temporary,
                expiresAt,
                createdAt,
                updatedAt,
                updatedBy,
                version,
                null);
    }

    /**
     * The simplest flag: boolean, variants {@code on=true} and {@code off=false}, serving {@code on}
     * while enabled. Created enabled: a kill switch guards a path that works until someone turns it
     * off.
     */
    public static Flag killSwitch(String key) {
        return booleanFlag(key).enabled(true).build();
    }

    /** {@return a builder for a boolean flag with variants {@code on}/{@code off}, disabled, serving {@code on}} */
    public static Builder booleanFlag(String key) {
        return builder(key, FlagType.BOOLEAN)
                .variant(ON, BooleanNode.TRUE)
                .variant(OFF, BooleanNode.FALSE)
                .offVariant(OFF)
                .fallthrough(Serve.variant(ON));
    }

    /** {@return a builder for a flag of the given type with no variants yet} */
    public static Builder builder(String key, FlagType type) {
        return new Builder(key, type);
    }

    /** {@return a builder initialised with this flag's components} */
    public Builder toBuilder() {
        Builder b = new Builder(key, type);
        b.enabled = enabled;
        b.variants.putAll(variants);
        b.offVariant = offVariant;
        b.targets.putAll(targets);
        b.rules.addAll(rules);
        b.fallthrough = fallthrough;
        b.prerequisites.addAll(prerequisites);
        b.salt = salt;
        b.description = description;
        b.owner = owner;
        b.tags.addAll(tags);
        b.temporary = temporary;
        b.expiresAt = expiresAt;
        b.createdAt = createdAt;
        b.updatedAt = updatedAt;
        b.updatedBy = updatedBy;
        b.version = version;
        b.experiment = experiment;
        return b;
    }

    /** Returns a copy with the given enabled switch. */
    public Flag withEnabled(boolean newEnabled) {
        return toBuilder().enabled(newEnabled).build();
    }

    /** Returns a copy stamped with a write's version, time and actor. */
    public Flag withVersion(long newVersion, Instant newUpdatedAt, String newUpdatedBy) {
        return toBuilder()
                .version(newVersion)
                .updatedAt(newUpdatedAt)
                .updatedBy(newUpdatedBy)
                .build();
    }

    /**
     * The rollout the {@link #experiment()} runs on (the named rule's, or the fallthrough's), or
     * {@code null} when there is no experiment or it names no rollout (an invalid definition).
     */
    public Rollout experimentRollout() {
        if (experiment == null) {
            return null;
        }
        if (experiment.rule() == null) {
            return fallthrough.rollout();
        }
        for (Rule r : rules) {
            if (r.id().equals(experiment.rule())) {
                return r.serve().rollout();
            }
        }
        return null;
    }

    /** {@return the bucketing salt in effect: {@link #salt()} or, when blank, the key} */
    public String effectiveSalt() {
        return salt == null || salt.isEmpty() ? key : salt;
    }

    /** Mutable builder for {@link Flag}; not thread-safe. */
    public static final class Builder {
        private final String key;
        private final FlagType type;
        private boolean enabled;
        private final Map<String, JsonNode> variants = new LinkedHashMap<>();
        private String offVariant;
        private final Map<String, List<String>> targets = new LinkedHashMap<>();
        private final List<Rule> rules = new ArrayList<>();
        private Serve fallthrough;
        private final List<Prerequisite> prerequisites = new ArrayList<>();
        private String salt;
        private String description;
        private String owner;
        private final List<String> tags = new ArrayList<>();
        private boolean temporary;
        private Instant expiresAt;
        private Instant createdAt;
        private Instant updatedAt;
        private String updatedBy;
        private long version;
        private Experiment experiment;

        private Builder(String key, FlagType type) {
            this.key = Objects.requireNonNull(key, "key");
            this.type = Objects.requireNonNull(type, "type");
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Adds or replaces a variant, keeping declared order. */
        public Builder variant(String name, JsonNode value) {
            variants.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Adds or replaces a boolean variant. */
        public Builder variant(String name, boolean value) {
            return variant(name, BooleanNode.valueOf(value));
        }

        /** Adds or replaces a string variant. */
        public Builder variant(String name, String value) {
            return variant(name, TextNode.valueOf(Objects.requireNonNull(value, "value")));
        }

        /** Adds or replaces a whole-number variant. */
        public Builder variant(String name, long value) {
            return variant(name, LongNode.valueOf(value));
        }

        /** Adds or replaces a number variant. */
        public Builder variant(String name, double value) {
            return variant(name, DoubleNode.valueOf(value));
        }

        /** Removes all variants. */
        public Builder clearVariants() {
            variants.clear();
            return this;
        }

        public Builder offVariant(String offVariant) {
            this.offVariant = offVariant;
            return this;
        }

        /** Sets the context keys that always get {@code variant}; an empty list removes the entry. */
        public Builder target(String variant, List<String> contextKeys) {
            if (contextKeys.isEmpty()) {
                targets.remove(variant);
            } else {
                targets.put(variant, List.copyOf(contextKeys));
            }
            return this;
        }

        /** Removes all individual targets. */
        public Builder clearTargets() {
            targets.clear();
            return this;
        }

        public Builder rule(Rule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** Replaces all rules. */
        public Builder rules(List<Rule> newRules) {
            rules.clear();
            rules.addAll(newRules);
            return this;
        }

        public Builder fallthrough(Serve fallthrough) {
            this.fallthrough = fallthrough;
            return this;
        }

        public Builder prerequisite(Prerequisite prerequisite) {
            prerequisites.add(Objects.requireNonNull(prerequisite, "prerequisite"));
            return this;
        }

        /** Replaces all prerequisites. */
        public Builder prerequisites(List<Prerequisite> newPrerequisites) {
            prerequisites.clear();
            prerequisites.addAll(newPrerequisites);
            return this;
        }

        public Builder salt(String salt) {
            this.salt = salt;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder owner(String owner) {
            this.owner = owner;
            return this;
        }

        /** Replaces all tags. */
        public Builder tags(List<String> newTags) {
            tags.clear();
            tags.addAll(newTags);
            return this;
        }

        public Builder temporary(boolean temporary) {
            this.temporary = temporary;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Builder updatedBy(String updatedBy) {
            this.updatedBy = updatedBy;
            return this;
        }

        public Builder version(long version) {
            this.version = version;
            return this;
        }

        /** Sets or (with {@code null}) removes the experiment. */
        public Builder experiment(Experiment experiment) {
            this.experiment = experiment;
            return this;
        }

        /**
         * Builds the flag (structural checks only; see {@code FlagValidator}).
         *
         * @throws NullPointerException if the off variant or fallthrough is missing
         */
        public Flag build() {
            return new Flag(
                    key,
                    type,
                    enabled,
                    variants,
                    offVariant,
                    targets,
                    rules,
                    fallthrough,
                    prerequisites,
                    salt,
                    description,
                    owner,
                    tags,
                    temporary,
                    expiresAt,
                    createdAt,
                    updatedAt,
                    updatedBy,
                    version,
                    experiment);
        }
    }
}
