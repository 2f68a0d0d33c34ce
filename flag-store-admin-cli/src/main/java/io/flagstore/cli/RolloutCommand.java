package io.flagstore.cli;

import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code flagctl rollout KEY on=25 off=75}: the fallthrough becomes a weighted rollout. */
@Command(
        name = "rollout",
        mixinStandardHelpOptions = true,
        description = {
            "Serve a percentage rollout to everyone not targeted (the fallthrough).",
            "Weights are percent and must add up to 100; the same user always gets the same variant,",
            "and ramping the first variant up keeps everyone who already had it."
        })
final class RolloutCommand extends WriteCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
    String key;

    @Parameters(
            index = "1..*",
            arity = "1..*",
            paramLabel = "VARIANT=PERCENT",
            converter = Converters.Weight.class,
            description = "Slices in order, e.g. on=25 off=75.")
    List<WeightedVariant> weights;

    @Override
    WriteResult write(FlagAdmin admin, WriteOptions writeOptions) {
        return admin.setRollout(key, weights, writeOptions);
    }

    @Override
    String summary(WriteResult result) {
        return "rolled out " + key + " " + weights.stream().map(Formats::weight).collect(Collectors.joining(" "));
    }
}
