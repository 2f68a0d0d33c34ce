package io.flagstore.cli;

import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Serve;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Option(
            names = "--bucket-by",
            paramLabel = "ATTRIBUTE",
            description = "Bucket by this context attribute (e.g. org: everyone of a tenant gets the same variant)"
                    + " instead of the targeting key; without it the rollout keeps its current bucketing.")
    String bucketBy;

    @Override
    WriteResult write(FlagAdmin admin, WriteOptions writeOptions) {
        if (bucketBy == null) {
            return admin.setRollout(rollout.key, rollout.weights, writeOptions);
        }
        Serve serve = Serve.rollout(new Rollout(rollout.weights, bucketBy));
        return admin.modify(rollout.key, f -> f.toBuilder().fallthrough(serve).build(), writeOptions);
    }

    @Override
    String summary(WriteResult result) {
        return "rolled out " + rollout.key + " "
                + rollout.weights.stream().map(Formats::weight).collect(Collectors.joining(" "));
    }
}
