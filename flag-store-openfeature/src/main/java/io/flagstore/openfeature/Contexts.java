package io.flagstore.openfeature;

import dev.openfeature.sdk.Structure;
import dev.openfeature.sdk.Value;
import io.flagstore.core.EvaluationContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps an OpenFeature evaluation context onto a flag-store {@link EvaluationContext}.
 *
 * <p>The targeting key becomes the key ({@code ""} when absent, so key-independent flags still
 * work). Strings, numbers, booleans and instants map one to one; lists keep their scalar elements;
 * structures are flattened into dotted names ({@code user.plan}) so rules can compare nested
 * attributes; nulls are left out. An attribute named {@code key} is ignored: in flag-store rules
 * {@code key} always means the targeting key.
 */
final class Contexts {
    private Contexts() {}

    static EvaluationContext toFlagStore(dev.openfeature.sdk.EvaluationContext context) {
        if (context == null) {
            return EvaluationContext.of("");
        }
        String targetingKey = context.getTargetingKey();
        EvaluationContext.Builder builder = EvaluationContext.builder(targetingKey == null ? "" : targetingKey);
        for (String name : context.keySet()) {
            if (!name.equals(dev.openfeature.sdk.EvaluationContext.TARGETING_KEY)) {
                add(builder, name, context.getValue(name));
            }
        }
        return builder.build();
    }

    private static void add(EvaluationContext.Builder builder, String name, Value value) {
        if (value == null || value.isNull() || name.equals(EvaluationContext.KEY)) {
            return;
        }
        if (value.isStructure()) {
            Structure structure = value.asStructure();
            for (String member : structure.keySet()) {
                add(builder, name + "." + member, structure.getValue(member));
            }
        } else if (value.isList()) {
            List<Object> scalars = new ArrayList<>();
            for (Value element : value.asList()) {
                Object scalar = element == null ? null : scalar(element);
                if (scalar != null) {
                    scalars.add(scalar);
                }
            }
            builder.set(name, scalars);
        } else if (value.isString()) {
            builder.set(name, value.asString());
        } else if (value.isBoolean()) {
            builder.set(name, value.asBoolean().booleanValue());
        } else if (value.isNumber()) {
            builder.set(name, value.asDouble().doubleValue());
        } else if (value.isInstant()) {
            builder.set(name, value.asInstant());
        }
    }

    /** The element as a String, Boolean, Double or Instant; {@code null} for nested or null values. */
    private static Object scalar(Value value) {
        if (value.isString()) {
            return value.asString();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isInstant()) {
            return value.asInstant();
        }
        return null;
    }
}
