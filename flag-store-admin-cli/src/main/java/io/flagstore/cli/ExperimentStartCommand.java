package io.flagstore.cli;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.model.Experiment;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Rollout;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flagctl experiment start KEY --metric M...}: marks the flag's rollout as an experiment. */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        description = {
            "Start an experiment on the flag's fallthrough rollout (or --rule's): from then on, services",
            "count who sees which variant and who converts. Starting again after a stop begins a new run."
        })
final class ExperimentStartCommand extends WriteCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
    String key;

    @Option(
            names = "--metric",
            required = true,
            paramLabel = "NAME",
            description =
                    "An outcome name passed to track(), e.g. checkout.completed (repeatable; the first is primary).")
    List<String> metrics;

    @Option(
            names = "--control",
            paramLabel = "VARIANT",
            description = "The variant the others are compared with (default: the off variant if the rollout"
                    + " has it, else the rollout's first).")
    String control;

    @Option(names = "--hypothesis", paramLabel = "TEXT", description = "What the experiment expects.")
    String hypothesis;

    @Option(
            names = "--rule",
            paramLabel = "ID",
            description = "Run on this rule's rollout instead of the fallthrough's.")
    String rule;

    @Option(
            names = "--start",
            paramLabel = "TIME",
            converter = Converters.At.class,
            description = "When counting starts: ISO-8601 or +30m, +2h (default now).")
    Instant start;

    @Option(
            names = "--stop",
            paramLabel = "TIME",
            converter = Converters.At.class,
            description = "When counting stops: ISO-8601 or +7d (default: until 'experiment stop').")
    Instant stop;

    private Instant startAt;

    @Override
    void validate() {
        startAt = start != null ? start : Instant.now();
    }

    @Override
    WriteResult write(FlagAdmin admin, WriteOptions writeOptions) {
        admin.get(key).orElseThrow(() -> new FlagNotFoundException(key));
        return admin.modify(key, this::withExperiment, writeOptions);
    }

    /** The flag with the new experiment; refuses to replace one still running. No side effects. */
    private Flag withExperiment(Flag flag) {
        Experiment running = flag.experiment();
        if (running != null && !running.isStoppedAt(Instant.now())) {
            throw new CliException(
                    ExitCodes.ERROR,
                    "flag '" + key + "' already runs an experiment since " + Formats.time(running.startAt()),
                    "stop it first: flagctl experiment stop " + key);
        }
        Flag.Builder b = flag.toBuilder();
        Experiment draft = new Experiment(control != null ? control : "", hypothesis, metrics, rule, startAt, stop);
        Rollout rollout = b.experiment(draft).build().experimentRollout();
        String chosen = control;
        if (chosen == null && rollout != null) {
            chosen = rollout.variants().stream()
                    .map(io.flagstore.core.model.WeightedVariant::variant)
                    .filter(v -> v.equals(flag.offVariant()))
                    .findFirst()
                    .orElse(rollout.variants().get(0).variant());
        }
        // an unknown rule, a fixed fallthrough or a bad control are refused by validation (exit 7)
        return b.experiment(new Experiment(chosen == null ? "" : chosen, hypothesis, metrics, rule, startAt, stop))
                .build();
    }

    @Override
    String summary(WriteResult result) {
        return "started experiment on " + key + " at " + Formats.time(startAt);
    }
}
