package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.cli.stats.ArmCounts;
import io.flagstore.cli.stats.ArmResult;
import io.flagstore.cli.stats.ExperimentStatistics;
import io.flagstore.cli.stats.Interval;
import io.flagstore.cli.stats.Report;
import io.flagstore.cli.stats.SampleRatio;
import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.model.Experiment;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.ExperimentCounts;
import io.flagstore.redis.ExperimentStore;
import io.flagstore.redis.FlagAdmin;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flagctl experiment results KEY}: per variant exposed and converted units, conversion rate,
 * lift against the control with its interval, and the sample ratio check (docs/experiments.md).
 */
@Command(
        name = "results",
        mixinStandardHelpOptions = true,
        description = {
            "Show an experiment's results: per variant the exposed and converted users, the conversion rate",
            "and the lift against the control with an always-valid interval (safe to look at any time), and",
            "a sample ratio check of the split. Exit 0 whatever the verdict."
        })
final class ExperimentResultsCommand extends ReadCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
    String key;

    @Option(
            names = "--metric",
            paramLabel = "NAME",
            description = "Only this metric (default: all of the experiment's, the primary first).")
    String metric;

    @Option(
            names = "--fixed",
            description = "A fixed-horizon interval instead of the always-valid one: only for a single look at a"
                    + " sample size planned in advance.")
    boolean fixed;

    @Option(
            names = "--confidence",
            paramLabel = "LEVEL",
            defaultValue = "0.95",
            description = "The intervals' level (default ${DEFAULT-VALUE}).")
    double confidence;

    @Option(
            names = "--now",
            paramLabel = "TIME",
            converter = Converters.Time.class,
            description = "Count up to this instant instead of now.")
    Instant now;

    @Override
    int run(FlagAdmin admin) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new CliException(ExitCodes.USAGE, "--confidence must be between 0 and 1, was " + confidence, null);
        }
        Flag flag = admin.get(key).orElseThrow(() -> new FlagNotFoundException(key));
        Experiment experiment = flag.experiment();
        if (experiment == null || flag.experimentRollout() == null) {
            throw new CliException(
                    ExitCodes.NOT_FOUND,
                    "flag '" + key + "' has no experiment",
                    "start one: flagctl experiment start " + key + " --metric NAME");
        }
        List<String> metrics = experiment.metrics();
        if (metric != null) {
            if (!metrics.contains(metric)) {
                throw new CliException(
                        ExitCodes.USAGE,
                        "the experiment on '" + key + "' is not judged on '" + metric + "' (metrics: "
                                + String.join(", ", metrics) + ")",
                        null);
            }
            metrics = List.of(metric);
        }
        Instant at = now != null ? now : Instant.now();
        ExperimentCounts counts;
        try (ExperimentStore store = ExperimentStore.connect(admin.options())) {
            counts = store.counts(flag, at);
        }
        Interval interval = fixed ? Interval.FIXED : Interval.SEQUENTIAL;
        List<WeightedVariant> slices = flag.experimentRollout().variants();
        List<Report> reports = new ArrayList<>();
        for (String m : metrics) {
            ExperimentCounts.MetricCounts mc = counts.metrics().get(m);
            List<ArmCounts> arms = slices.stream()
                    .map(s -> new ArmCounts(
                            s.variant(),
                            s.weight(),
                            counts.exposed().getOrDefault(s.variant(), 0L),
                            mc.converted().getOrDefault(s.variant(), 0L)))
                    .toList();
            reports.add(ExperimentStatistics.analyze(
                    arms, experiment.control(), interval, confidence, ExperimentStatistics.DEFAULT_TAU));
        }
        SampleRatio ratio = reports.get(0).sampleRatio();
        if (ratio != null && ratio.mismatch()) {
            ErrorHandler.print(
                    spec.commandLine().getErr(),
                    "SAMPLE RATIO MISMATCH in experiment '" + key + "': the exposures do not match the configured"
                            + " split (p = " + p(ratio.pValue()) + "); do not trust these results",
                    "see docs/experiments.md, \"Sample ratio mismatch\"");
        }
        if (json) {
            Json.print(out(), toJson(flag, counts, metrics, reports, at));
        } else {
            print(flag, counts, metrics, reports, at);
        }
        return ExitCodes.OK;
    }

    private void print(Flag flag, ExperimentCounts counts, List<String> metrics, List<Report> reports, Instant at) {
        Experiment e = flag.experiment();
        PrintWriter out = out();
        out.println(key + ": experiment " + ExperimentShowCommand.state(flag, at) + " since "
                + Formats.time(e.startAt()) + (e.stopAt() == null ? "" : " until " + Formats.time(e.stopAt()))
                + ", control " + e.control() + ", split " + Formats.serve(Serve.rollout(flag.experimentRollout())));
        if (e.hypothesis() != null) {
            out.println("hypothesis: " + e.hypothesis());
        }
        SampleRatio ratio = reports.get(0).sampleRatio();
        if (ratio != null && ratio.mismatch()) {
            out.println();
            out.println("!!! SAMPLE RATIO MISMATCH: exposures do not match the configured split (chi-square "
                    + String.format(Locale.ROOT, "%.1f", ratio.chiSquare()) + ", p = " + p(ratio.pValue()) + ").");
            out.println("!!! Assignment or counting is broken; the numbers below are not trustworthy.");
        }
        String level = Math.round(reports.get(0).confidence() * 100) + "%";
        for (int i = 0; i < metrics.size(); i++) {
            String m = metrics.get(i);
            Report report = reports.get(i);
            ExperimentCounts.MetricCounts mc = counts.metrics().get(m);
            out.println();
            out.println("metric " + m + (m.equals(e.metrics().get(0)) ? " (primary)" : "") + ": lift with "
                    + (report.interval() == Interval.SEQUENTIAL
                            ? "an always-valid " + level + " interval"
                            : "a fixed-horizon " + level + " interval (valid for one planned look only)"));
            Table table = new Table(
                    "VARIANT",
                    "WEIGHT",
                    "EXPOSED",
                    "CONVERTED",
                    "RATE",
                    "LIFT",
                    level + " INTERVAL",
                    "VERDICT",
                    "VALUE/EXPOSED");
            for (ArmResult arm : report.arms()) {
                ArmCounts c = arm.counts();
                double valueSum = mc.valueSums().getOrDefault(c.variant(), 0.0);
                table.row(
                        c.variant(),
                        Formats.weight(new WeightedVariant(c.variant(), c.weight()))
                                .substring(c.variant().length() + 1),
                        c.exposed(),
                        c.converted(),
                        String.format(Locale.ROOT, "%.2f%%", c.rate() * 100),
                        arm.control() ? "control" : percent(arm.lift()),
                        arm.control() || Double.isNaN(arm.lift())
                                ? null
                                : "[" + percent(arm.liftLow()) + ", " + percent(arm.liftHigh()) + "]",
                        arm.control() ? null : verdict(arm),
                        c.exposed() == 0 || valueSum == 0
                                ? null
                                : String.format(Locale.ROOT, "%.2f", valueSum / c.exposed()));
            }
            table.print(out);
        }
        out.println();
        out.println(
                ratio == null
                        ? "sample ratio: not checked yet (fewer than two variants have exposures)"
                        : "sample ratio: " + (ratio.mismatch() ? "MISMATCH" : "ok") + ", chi-square "
                                + String.format(Locale.ROOT, "%.2f", ratio.chiSquare()) + " ("
                                + ratio.degreesOfFreedom()
                                + " df), p = " + p(ratio.pValue()));
        out.flush();
    }

    private static String verdict(ArmResult arm) {
        if (Double.isNaN(arm.lift())) {
            return "no conversions yet";
        }
        if (!arm.significant()) {
            return "no difference yet";
        }
        return arm.liftLow() > 0 ? "better" : "worse";
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%+.1f%%", fraction * 100);
    }

    private static String p(double p) {
        return p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
    }

    private ObjectNode toJson(
            Flag flag, ExperimentCounts counts, List<String> metrics, List<Report> reports, Instant at) {
        Experiment e = flag.experiment();
        ObjectNode node = Json.object();
        node.put("key", key);
        node.put("state", ExperimentShowCommand.state(flag, at));
        node.put("control", e.control());
        Json.putInstant(node, "startAt", e.startAt());
        Json.putInstant(node, "stopAt", e.stopAt());
        Json.putInstant(node, "countedUntil", at);
        node.put("interval", reports.get(0).interval().name().toLowerCase(Locale.ROOT));
        node.put("confidence", reports.get(0).confidence());
        SampleRatio ratio = reports.get(0).sampleRatio();
        if (ratio == null) {
            node.putNull("sampleRatio");
        } else {
            ObjectNode r = node.putObject("sampleRatio");
            r.put("chiSquare", ratio.chiSquare());
            r.put("degreesOfFreedom", ratio.degreesOfFreedom());
            r.put("pValue", ratio.pValue());
            r.put("threshold", ratio.threshold());
            r.put("mismatch", ratio.mismatch());
        }
        ArrayNode array = node.putArray("metrics");
        for (int i = 0; i < metrics.size(); i++) {
            ExperimentCounts.MetricCounts mc = counts.metrics().get(metrics.get(i));
            ObjectNode m = array.addObject();
            m.put("metric", metrics.get(i));
            m.put("primary", metrics.get(i).equals(e.metrics().get(0)));
            ArrayNode arms = m.putArray("variants");
            for (ArmResult arm : reports.get(i).arms()) {
                ArmCounts c = arm.counts();
                ObjectNode a = arms.addObject();
                a.put("variant", c.variant());
                a.put("weight", c.weight());
                a.put("control", arm.control());
                a.put("exposed", c.exposed());
                a.put("converted", c.converted());
                a.put("rate", c.rate());
                putNumber(a, "lift", arm.lift());
                putNumber(a, "liftLow", arm.liftLow());
                putNumber(a, "liftHigh", arm.liftHigh());
                a.put("significant", arm.significant());
                a.put("outcomes", mc.outcomes().getOrDefault(c.variant(), 0L));
                a.put("valueSum", mc.valueSums().getOrDefault(c.variant(), 0.0));
            }
        }
        return node;
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isNaN(value)) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
