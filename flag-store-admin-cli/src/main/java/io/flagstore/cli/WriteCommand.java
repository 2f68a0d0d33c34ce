package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.FleetView;
import io.flagstore.redis.ServiceInstance;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every write command shares: connect, write once through {@link FlagAdmin}, print the new
 * version and how many subscribers received it, and optionally wait for the fleet to apply it.
 */
abstract class WriteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    WriteOptionsMixin options;

    /**
     * Performs the write; returns {@code null} when there is nothing to write (after saying so on
     * stdout in human mode).
     */
    abstract WriteResult write(FlagAdmin admin, WriteOptions writeOptions);

    /** A past-tense summary for the human line, e.g. {@code "disabled payments-api"}. */
    abstract String summary(WriteResult result);

    /** Adds command-specific fields to the JSON result. */
    void decorateJson(ObjectNode node) {}

    /** Whether {@code --wait} is on when neither --wait nor --no-wait was given. */
    boolean waitByDefault() {
        return false;
    }

    /** Runs a parser of command-line text; its complaint becomes a usage error (exit 2). */
    <T> T parsed(java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Adds {@code NAME=VALUE} variants of {@code type} to {@code builder}; malformed ones are usage
     * errors. Returns the first name, or {@code null} if there were none.
     */
    String putVariants(
            io.flagstore.core.model.Flag.Builder builder,
            io.flagstore.core.model.FlagType type,
            java.util.List<String> variants) {
        String first = null;
        for (String v : variants) {
            Values.Pair p = parsed(() -> Values.pair(v, "a variant: use NAME=VALUE"));
            builder.variant(p.name(), parsed(() -> Values.variantValue(type, p.name(), p.value())));
            first = first == null ? p.name() : first;
        }
        return first;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Checks the arguments before connecting, so usage errors never need Redis. */
    void validate() {}

    @Override
    public Integer call() {
        if (options.expectVersion != null && options.expectVersion < 0) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--expect-version must be 0 (must not exist) or a version, not " + options.expectVersion);
        }
        if (options.waitTimeout.isZero()) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--wait-timeout must be positive (use --no-wait not to wait)");
        }
        validate();
        try (FlagAdmin admin = connection.connect()) {
            boolean wait = options.waitOr(waitByDefault());
            // the instances' keys as they were before the write: the wait holds their entries to them
            FleetView before = wait ? FleetWait.before(admin) : null;
            WriteResult result = write(admin, options.writeOptions());
            if (result == null) {
                if (options.json) {
                    ObjectNode node = Json.object();
                    node.put("command", spec.name());
                    node.put("changed", false);
                    decorateJson(node);
                    Json.print(out(), node);
                }
                return ExitCodes.OK;
            }
            if (!options.json) {
                out().println(summary(result) + ": version " + result.version() + ", received by "
                        + Formats.plural(result.receivers(), "subscriber"));
                out().flush();
            }
            FleetWait.Outcome outcome = wait ? waitForFleet(admin, before, result) : null;
            if (options.json) {
                Json.print(out(), toJson(result, outcome));
            }
            return outcome == null || outcome.complete() ? ExitCodes.OK : reportIncomplete(result, outcome);
        }
    }

    /** Says why the fleet did not confirm the write (which is done) and returns the exit code. */
    private int reportIncomplete(WriteResult result, FleetWait.Outcome outcome) {
        String root = spec.root().name();
        PrintWriter err = spec.commandLine().getErr();
        if (!outcome.ahead().isEmpty()) {
            long held = outcome.ahead().stream()
                    .mapToLong(ServiceInstance::appliedVersion)
                    .max()
                    .orElseThrow();
            ErrorHandler.print(
                    err,
                    "version " + result.version() + " is written, but the namespace version went backwards: "
                            + names(outcome.ahead()) + " hold version " + held + ", above Redis's, and ignore it",
                    "make what Redis holds the truth again under a new epoch: '" + root + " export -o now.json'"
                            + " then '" + root + " apply -f now.json --reseed --force'; docs/operations.md,"
                            + " \"Version went backwards\"");
            return ExitCodes.VERSION_REGRESSED;
        }
        List<String> problems = new ArrayList<>();
        if (outcome.confirmed().isEmpty() && outcome.unconfirmed().isEmpty()) {
            problems.add("no live service instance confirmed version " + result.version() + ": none is live");
        }
        if (!outcome.unconfirmed().isEmpty()) {
            problems.add(outcome.unconfirmed().size() + " of "
                    + (outcome.unconfirmed().size() + outcome.confirmed().size())
                    + " live instances did not confirm version " + result.version() + " within "
                    + Formats.millis(options.waitTimeout) + ": " + names(outcome.unconfirmed()));
        }
        if (!outcome.lost().isEmpty()) {
            problems.add(Formats.plural(outcome.lost().size(), "instance")
                    + " went silent shortly before the write and did not confirm: " + names(outcome.lost()));
        }
        if (!outcome.unverified().isEmpty()) {
            int n = outcome.unverified().size();
            problems.add(n + (n == 1 ? " presence entry" : " presence entries")
                    + " not verified as the instance's own, so not counted: "
                    + outcome.unverified().entrySet().stream()
                            .sorted(Map.Entry.comparingByKey())
                            .map(e -> e.getKey() + " (" + e.getValue() + ")")
                            .collect(Collectors.joining(", ")));
        }
        ErrorHandler.print(
                err,
                String.join("; ", problems),
                "the write itself is done; instances that are down, partitioned from Redis or stuck cannot"
                        + " confirm: check '" + root + " status'");
        return ExitCodes.WAIT_TIMEOUT;
    }

    private static String names(List<ServiceInstance> instances) {
        return instances.stream()
                .map(i -> i.service() + "/" + i.instance() + " (applied " + i.appliedVersion() + ")")
                .collect(Collectors.joining(", "));
    }

    private FleetWait.Outcome waitForFleet(FlagAdmin admin, FleetView before, WriteResult result) {
        PrintWriter out = out();
        if (!options.json) {
            out.println("waiting up to " + Formats.millis(options.waitTimeout)
                    + " for every live instance to apply version " + result.version() + "...");
            out.flush();
        }
        FleetWait.Outcome outcome;
        try {
            outcome = FleetWait.await(admin::fleet, before, result.version(), result.writtenAt(), options.waitTimeout);
        } catch (RuntimeException e) {
            // the write is done: whatever breaks the wait must not read as "nothing written"
            throw new CliException(
                    ExitCodes.WAIT_TIMEOUT,
                    "version " + result.version() + " is written, but waiting for the fleet failed: " + e.getMessage(),
                    "check '" + spec.root().name() + " status' for the instances' applied versions");
        }
        if (!options.json) {
            printOutcome(out, outcome);
        }
        return outcome;
    }

    private static void printOutcome(PrintWriter out, FleetWait.Outcome outcome) {
        if (outcome.confirmed().isEmpty()
                && outcome.unconfirmed().isEmpty()
                && outcome.lost().isEmpty()) {
            out.println("no live service instance to wait for");
            out.flush();
            return;
        }
        Table table = new Table("SERVICE", "INSTANCE", "HOST", "APPLIED", "APPLY TIME");
        outcome.confirmed().stream()
                .sorted(Comparator.comparing(
                                (FleetWait.Confirmation c) -> c.instance().service())
                        .thenComparing(c -> c.instance().instance()))
                .forEach(c -> table.row(
                        c.instance().service(),
                        c.instance().instance(),
                        c.instance().host(),
                        c.instance().appliedVersion(),
                        Formats.millis(c.applyTime())));
        for (ServiceInstance i : outcome.unconfirmed()) {
            table.row(
                    i.service(), i.instance(), i.host(), i.appliedVersion(), notConfirmed(outcome, i, "NOT CONFIRMED"));
        }
        for (ServiceInstance i : outcome.lost()) {
            table.row(i.service(), i.instance(), i.host(), i.appliedVersion(), notConfirmed(outcome, i, "SILENT"));
        }
        table.print(out);
        if (outcome.complete()) {
            out.println("all " + Formats.plural(outcome.confirmed().size(), "instance") + " applied version "
                    + outcome.version() + " (slowest "
                    + Formats.millis(outcome.confirmed().stream()
                            .map(FleetWait.Confirmation::applyTime)
                            .max(Comparator.naturalOrder())
                            .orElseThrow())
                    + (outcome.keysTrusted()
                            ? "; each entry signed by its service's trusted key)"
                            : "; keys trusted on first sight: 'trust add' pins them)"));
        }
        out.flush();
    }

    private static String notConfirmed(FleetWait.Outcome outcome, ServiceInstance i, String otherwise) {
        return outcome.unverified().containsKey(i.instance()) ? "UNVERIFIED" : otherwise;
    }

    private ObjectNode toJson(WriteResult result, FleetWait.Outcome outcome) {
        ObjectNode node = Json.object();
        node.put("command", spec.name());
        node.put("changed", true);
        node.set("keys", Json.strings(result.keys()));
        node.put("version", result.version());
        node.put("receivers", result.receivers());
        Json.putInstant(node, "writtenAt", result.writtenAt());
        decorateJson(node);
        if (outcome != null) {
            ObjectNode wait = node.putObject("wait");
            wait.put("complete", outcome.complete());
            wait.put("waitedMs", outcome.waited().toMillis());
            wait.put("keysTrusted", outcome.keysTrusted());
            ArrayNode confirmed = wait.putArray("confirmed");
            for (FleetWait.Confirmation c : outcome.confirmed()) {
                ObjectNode i = instanceJson(c.instance());
                i.put("applyMs", c.applyTime().toNanos() / 1e6);
                confirmed.add(i);
            }
            ArrayNode unconfirmed = wait.putArray("unconfirmed");
            outcome.unconfirmed().forEach(i -> unconfirmed.add(instanceJson(i)));
            ArrayNode silent = wait.putArray("silent");
            outcome.lost().forEach(i -> silent.add(instanceJson(i)));
            ArrayNode ahead = wait.putArray("ahead");
            outcome.ahead().forEach(i -> ahead.add(instanceJson(i)));
            ArrayNode unverified = wait.putArray("unverified");
            outcome.unverified().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e ->
                            unverified.addObject().put("instance", e.getKey()).put("reason", e.getValue()));
        }
        return node;
    }

    static ObjectNode instanceJson(ServiceInstance i) {
        ObjectNode node = Json.object();
        node.put("service", i.service());
        node.put("instance", i.instance());
        node.put("host", i.host());
        node.put("appliedVersion", i.appliedVersion());
        Json.putInstant(node, "appliedAt", i.appliedAt());
        Json.putInstant(node, "heartbeat", i.heartbeat());
        Json.putInstant(node, "started", i.started());
        node.put("epoch", i.epoch());
        node.put(
                "heartbeatMs",
                i.heartbeatInterval() == null ? null : i.heartbeatInterval().toMillis());
        node.put("digest", i.digest());
        Json.putInstant(node, "closedAt", i.closedAt());
        node.put("signingKey", i.signingKey());
        return node;
    }
}
