package io.flagstore.cli;

import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.ScheduledChange;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code flagctl schedule rollout KEY on=10 off=90 --at TIME}. */
@Command(
        name = "rollout",
        mixinStandardHelpOptions = true,
        description = "Set a flag's rollout weights (as 'flagctl rollout') at a later time.")
final class ScheduleRolloutCommand extends ScheduleWriteCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
    String key;

    @Parameters(
            index = "1..*",
            arity = "1..*",
            paramLabel = "VARIANT=PERCENT",
            converter = Converters.Weight.class,
            description = "Slices in order, e.g. on=10 off=90.")
    List<WeightedVariant> weights;

    @Mixin
    AtOption when;

    @Override
    List<ScheduledChange> changes() {
        return List.of(ScheduledChange.rollout(key, weights, when.at));
    }
}
