package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.AuditEntry;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisFlagSource;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flagctl watch}: subscribes like a service does (a {@link RedisFlagSource}, so it also shows
 * up in {@code status}) and prints every change as it is pushed, until interrupted.
 */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = {
            "Print every change as it is pushed (version, op, keys, actor, time, lag), until Ctrl-C.",
            "It subscribes like a service, so it appears in 'status' and --wait waits for it too.",
            "--json prints one JSON object per line."
        })
final class WatchCommand extends ReadCommand {
    private static final String SERVICE_NAME = "flagctl-watch";

    @Option(names = "--count", paramLabel = "N", description = "Exit after N changes (default: run until interrupted).")
    int count;

    @Option(
            names = "--presence-key-file",
            paramLabel = "FILE",
            description = "Sign this watcher's presence with the PEM private key in FILE ('trust keygen'), so that"
                    + " a namespace with trusted keys can count it (trust it as service '" + SERVICE_NAME + "').")
    Path presenceKeyFile;

    /** What the source delivered, handed from its thread to the printing thread. */
    private sealed interface Event permits Init, Change, State {}

    private record Init(FlagData data) implements Event {}

    private record Change(FlagUpdate update, Instant appliedAt) implements Event {}

    private record State(SourceState state, String message) implements Event {}

    @Override
    int run(FlagAdmin admin) {
        if (count < 0) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--count must be positive, not " + count);
        }
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        RedisFlagSource.Builder builder = RedisFlagSource.builder()
                .options(connection.redisOptions())
                .serviceName(SERVICE_NAME)
                .instanceId(SERVICE_NAME + "-" + host() + "-"
                        + ProcessHandle.current().pid());
        if (presenceKeyFile != null) {
            builder.presenceKeyFile(presenceKeyFile);
        }
        RedisFlagSource source = builder.build();
        // Ctrl-C: close the source so its heartbeat entry goes away at once.
        Thread closer = new Thread(source::close, "flagctl-watch-close");
        Runtime.getRuntime().addShutdownHook(closer);
        try {
            source.start(new FlagSink() {
                @Override
                public void init(FlagData data) {
                    events.add(new Init(data));
                }

                @Override
                public void apply(FlagUpdate update) {
                    events.add(new Change(update, Instant.now()));
                }

                @Override
                public void stateChanged(SourceState state, String message) {
                    events.add(new State(state, message));
                }
            });
            int seen = 0;
            while (count == 0 || seen < count) {
                Event event = events.take();
                if (event instanceof Change change) {
                    print(admin, change);
                    seen++;
                } else if (event instanceof Init init) {
                    print(init);
                } else {
                    print((State) event);
                }
            }
        } catch (InterruptedException e) {
            // Interruption is how an embedding caller stops watch: handled here, by returning. Not
            // re-asserted, so that closing the source and the admin connection still completes.
        } finally {
            source.close();
            try {
                Runtime.getRuntime().removeShutdownHook(closer);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or ran: nothing to remove
            }
        }
        return ExitCodes.OK;
    }

    private void print(Init init) {
        if (json) {
            ObjectNode node = Json.object();
            node.put("event", "init");
            node.put("namespace", connection.namespace);
            node.put("version", init.data().version());
            node.put("flags", init.data().flags().size());
            Json.printLine(out(), node);
        } else {
            out().println("watching namespace '" + connection.namespace + "' at " + connection.displayUri()
                    + ": version "
                    + init.data().version() + ", "
                    + Formats.plural(init.data().flags().size(), "flag")
                    + " (Ctrl-C to stop)");
            out().flush();
        }
    }

    private void print(State state) {
        if (json) {
            ObjectNode node = Json.object();
            node.put("event", "state");
            node.put("state", state.state().name());
            node.put("message", Redaction.scrub(state.message(), connection.redis));
            Json.printLine(out(), node);
        } else if (state.state() == SourceState.STALE || state.state() == SourceState.NAMESPACE_RESET) {
            spec.commandLine()
                    .getErr()
                    .println("watch: " + state.state()
                            + (state.message() == null
                                    ? ""
                                    : ": " + Redaction.scrub(state.message(), connection.redis)));
            spec.commandLine().getErr().flush();
        }
    }

    private void print(FlagAdmin admin, Change change) {
        FlagUpdate u = change.update();
        List<String> keys = new ArrayList<>();
        u.flags().forEach(f -> keys.add(f.key()));
        keys.addAll(u.deletedFlags());
        u.segments().forEach(s -> keys.add("segment:" + s.key()));
        u.deletedSegments().forEach(s -> keys.add("segment:" + s));
        AuditEntry audit = auditOf(admin, u.version());
        String op = audit != null
                ? audit.op()
                : u.flags().isEmpty() && !u.deletedFlags().isEmpty() ? "delete" : "update";
        String actor = audit != null
                ? audit.actor()
                : u.flags().stream()
                        .map(Flag::updatedBy)
                        .filter(a -> a != null)
                        .findFirst()
                        .orElse(null);
        String reason = audit == null ? null : audit.reason();
        Duration lag = u.writtenAt() == null ? null : Duration.between(u.writtenAt(), change.appliedAt());
        if (json) {
            ObjectNode node = Json.object();
            node.put("event", "change");
            node.put("version", u.version());
            node.put("op", op);
            node.set("keys", Json.strings(keys));
            node.set("deleted", Json.strings(u.deletedFlags()));
            node.put("actor", actor);
            node.put("reason", reason);
            Json.putInstant(node, "time", u.writtenAt());
            if (lag == null) {
                node.putNull("lagMs");
            } else {
                node.put("lagMs", lag.toNanos() / 1e6);
            }
            ArrayNode flags = node.putArray("flags");
            u.flags().forEach(f -> flags.add(FlagJson.toTree(f)));
            Json.printLine(out(), node);
            return;
        }
        PrintWriter out = out();
        StringBuilder line = new StringBuilder();
        line.append(u.writtenAt() == null ? "-" : u.writtenAt().toString())
                .append("  v")
                .append(u.version())
                .append("  ")
                .append(op)
                .append("  ")
                .append(String.join(",", keys));
        for (Flag f : u.flags()) {
            line.append("  [")
                    .append(f.key())
                    .append(" now ")
                    .append(Formats.state(f))
                    .append(", serving ")
                    .append(f.enabled() ? Formats.serve(f.fallthrough()) : f.offVariant())
                    .append("]");
        }
        line.append("  by ").append(actor == null ? "?" : actor);
        if (reason != null && !reason.isEmpty()) {
            line.append("  \"").append(reason).append('"');
        }
        if (lag != null) {
            line.append("  (lag ").append(Formats.millis(lag)).append(')');
        }
        out.println(line);
        out.flush();
    }

    /** The audit entry of a write, for its op and reason (best effort: the change prints without it). */
    private static AuditEntry auditOf(FlagAdmin admin, long version) {
        try {
            return admin.history(50).stream()
                    .filter(e -> e.version() == version)
                    .findFirst()
                    .orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return ManagementFactory.getRuntimeMXBean().getName();
        }
    }
}
