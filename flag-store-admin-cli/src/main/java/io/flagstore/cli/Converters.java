package io.flagstore.cli;

import io.flagstore.core.model.WeightedVariant;
import java.time.Instant;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for operator-typed values; failures are usage errors naming the value. */
final class Converters {
    private Converters() {}

    /** {@code on=25} to a rollout slice. */
    static final class Weight implements ITypeConverter<WeightedVariant> {
        @Override
        public WeightedVariant convert(String value) {
            try {
                return Values.weight(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A date or ISO-8601 instant. */
    static final class Time implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Values.instant(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
