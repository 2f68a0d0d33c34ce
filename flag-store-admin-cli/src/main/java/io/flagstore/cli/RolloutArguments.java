package io.flagstore.cli;

import io.flagstore.core.model.WeightedVariant;
import java.util.List;
import picocli.CommandLine.Parameters;

/** {@code KEY VARIANT=PERCENT...}: the arguments of {@code rollout} and {@code schedule rollout}. */
final class RolloutArguments {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
    String key;

    @Parameters(
            index = "1..*",
            arity = "1..*",
            paramLabel = "VARIANT=PERCENT",
            converter = Converters.Weight.class,
            description = "Slices in order, e.g. on=25 off=75.")
    List<WeightedVariant> weights;
}
