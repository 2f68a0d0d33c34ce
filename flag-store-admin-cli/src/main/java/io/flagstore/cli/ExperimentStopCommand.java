package io.flagstore.cli;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flagctl experiment stop KEY}: ends counting; the results stay readable. */
@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        description = {
            "Stop counting an experiment. The flag keeps serving as before; its results stay readable.",
            "A stopped experiment on a flag is debt ('flagctl stale'): roll out the winner and remove it."
        })
final class ExperimentStopCommand extends WriteCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
    String key;

    @Option(
            names = "--at",
            paramLabel = "TIME",
            converter = Converters.At.class,
            description = "When counting stops: ISO-8601 or +2h (default now).")
    Instant at;

    @Override
    WriteResult write(FlagAdmin admin, WriteOptions writeOptions) {
        Flag flag = admin.get(key).orElseThrow(() -> new FlagNotFoundException(key));
        if (flag.experiment() == null) {
            throw new CliException(ExitCodes.ERROR, "flag '" + key + "' has no experiment", null);
        }
        Instant stopAt = at != null ? at : Instant.now();
        return admin.modify(
                key,
                f -> f.experiment() == null
                        ? f
                        : f.toBuilder()
                                .experiment(f.experiment().withStopAt(stopAt))
                                .build(),
                writeOptions);
    }

    @Override
    String summary(WriteResult result) {
        return "stopped experiment on " + key;
    }
}
