package io.flagstore.cli;

import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
    @Mixin
    RolloutArguments rollout;

    @Override
    WriteResult write(FlagAdmin admin, WriteOptions writeOptions) {
        return admin.setRollout(rollout.key, rollout.weights, writeOptions);
    }

    @Override
    String summary(WriteResult result) {
        return "rolled out " + rollout.key + " "
                + rollout.weights.stream().map(Formats::weight).collect(Collectors.joining(" "));
    }
}
