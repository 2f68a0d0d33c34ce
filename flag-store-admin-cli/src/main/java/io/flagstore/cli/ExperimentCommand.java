package io.flagstore.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code flagctl experiment ...}: A/B experiments on a flag's rollout (docs/experiments.md). */
@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        description = {
            "Run an A/B experiment on a flag's rollout: start and stop it, show it, and read its results",
            "(exposed and converted users per variant, lift against the control, sample ratio check)."
        },
        subcommands = {
            ExperimentStartCommand.class,
            ExperimentStopCommand.class,
            ExperimentShowCommand.class,
            ExperimentResultsCommand.class
        })
final class ExperimentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: start, stop, show or results");
    }
}
