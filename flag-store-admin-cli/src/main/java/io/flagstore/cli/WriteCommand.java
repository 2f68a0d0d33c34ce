package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.ServiceInstance;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.io.PrintWriter;
import java.util.Comparator;
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
            FleetWait.Outcome outcome = options.waitOr(waitByDefault()) ? waitForFleet(admin, result) : null;
            if (options.json) {
                Json.print(out(), toJson(result, outcome));
            }
            if (outcome != null && !outcome.complete()) {
                String names = outcome.unconfirmed().stream()
                        .map(i -> i.service() + "/" + i.instance() + " (applied " + i.appliedVersion() + ")")
                        .collect(Collectors.joining(", "));
                ErrorHandler.print(
                        spec.commandLine().getErr(),
                        outcome.unconfirmed().size() + " of "
                                + (outcome.unconfirmed().size()
                                        + outcome.confirmed().size())
                                + " live instances did not confirm version " + result.version() + " within "
                                + Formats.millis(options.waitTimeout) + ": " + names,
                        "the write itself is done; those instances may be down, partitioned or stuck:" + " check '"
                                + spec.root().name() + " status'");
                return ExitCodes.WAIT_TIMEOUT;
            }
            return ExitCodes.OK;
        }
    }

    private FleetWait.Outcome waitForFleet(FlagAdmin admin, WriteResult result) {
        PrintWriter out = out();
        if (!options.json) {
            out.println("waiting up to " + Formats.millis(options.waitTimeout)
                    + " for every live instance to apply version " + result.version() + "...");
            out.flush();
        }
        FleetWait.Outcome outcome = FleetWait.await(admin, result.version(), result.writtenAt(), options.waitTimeout);
        if (!options.json) {
            printOutcome(out, outcome);
        }
        return outcome;
    }

    private static void printOutcome(PrintWriter out, FleetWait.Outcome outcome) {
        if (outcome.confirmed().isEmpty() && outcome.unconfirmed().isEmpty()) {
            out.println("no live service instances to wait for");
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
            table.row(i.service(), i.instance(), i.host(), i.appliedVersion(), "NOT CONFIRMED");
        }
        table.print(out);
        if (outcome.complete()) {
            out.println("all " + Formats.plural(outcome.confirmed().size(), "instance") + " applied version "
                    + outcome.version() + " (slowest "
                    + Formats.millis(outcome.confirmed().stream()
                            .map(FleetWait.Confirmation::applyTime)
                            .max(Comparator.naturalOrder())
                            .orElseThrow())
                    + ")");
        }
        out.flush();
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
            ArrayNode confirmed = wait.putArray("confirmed");
            for (FleetWait.Confirmation c : outcome.confirmed()) {
                ObjectNode i = instanceJson(c.instance());
                i.put("applyMs", c.applyTime().toNanos() / 1e6);
                confirmed.add(i);
            }
            ArrayNode unconfirmed = wait.putArray("unconfirmed");
            outcome.unconfirmed().forEach(i -> unconfirmed.add(instanceJson(i)));
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
        return node;
    }
}
