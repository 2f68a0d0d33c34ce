package io.flagstore.cli;

import io.flagstore.redis.ScheduledChange;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code flagctl schedule ramp KEY --steps 10@+1h,50@+2h,100@+3h}: several rollout steps at once. */
@Command(
        name = "ramp",
        mixinStandardHelpOptions = true,
        description = {
            "Schedule a gradual rollout: at each step's time, VARIANT gets PERCENT and REST the remainder.",
            "Each step is its own scheduled change (listed and cancellable by id); all are checked and stored together."
        })
final class ScheduleRampCommand extends ScheduleWriteCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
    String key;

    @Option(
            names = "--steps",
            required = true,
            split = ",",
            paramLabel = "PERCENT@TIME",
            description = "Steps, e.g. 10@+1h,50@+2h,100@+3h or 10@2026-12-01T09:00:00Z.")
    List<String> steps;

    @Option(
            names = "--variant",
            defaultValue = "on",
            paramLabel = "VARIANT",
            description = "The variant ramped up (default ${DEFAULT-VALUE}).")
    String variant;

    @Option(
            names = "--rest",
            defaultValue = "off",
            paramLabel = "VARIANT",
            description = "The variant everyone else gets (default ${DEFAULT-VALUE}).")
    String rest;

    @Override
    List<ScheduledChange> changes() {
        TreeMap<Instant, Double> byTime = new TreeMap<>();
        Converters.At at = new Converters.At();
        for (String step : steps) {
            int sep = step.indexOf('@');
            if (sep < 1) {
                throw usage("'" + step + "' is not a ramp step: use PERCENT@TIME, e.g. 10@+1h");
            }
            double percent;
            try {
                percent = Double.parseDouble(step.substring(0, sep).replace("%", ""));
            } catch (NumberFormatException e) {
                throw usage("'" + step + "': '" + step.substring(0, sep) + "' is not a percentage");
            }
            Instant time;
            try {
                time = at.convert(step.substring(sep + 1));
            } catch (RuntimeException e) {
                throw usage("'" + step + "': " + e.getMessage());
            }
            if (byTime.put(time, percent) != null) {
                throw usage("two ramp steps at " + time);
            }
        }
        try {
            return ScheduledChange.ramp(key, variant, rest, byTime);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
