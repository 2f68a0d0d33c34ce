package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.StoreUnavailableException;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.FlagScheduler;
import io.flagstore.redis.ScheduleEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flagctl scheduler}: applies due scheduled changes until stopped. Any number may run
 * against one namespace: each change is applied exactly once (docs/scheduling.md).
 */
@Command(
        name = "scheduler",
        mixinStandardHelpOptions = true,
        description = {
            "Apply due scheduled changes, polling every --interval, until SIGINT/SIGTERM.",
            "Prints each change it applied or that failed. Run as many replicas as you like: each change is"
                    + " applied exactly once."
        })
final class SchedulerCommand implements Callable<Integer> {
    /** How long a SIGTERM waits for the current pass to finish before the JVM exits. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "1s",
            converter = DurationConverter.class,
            description = "How often to look for due changes (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--once", description = "Apply what is due now and exit (for cron jobs and scripts).")
    boolean once;

    @Option(names = "--json", description = "Print one JSON object per line per settled change.")
    boolean json;

    @Override
    public Integer call() {
        if (interval.isZero()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--interval must be positive");
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGINT/SIGTERM: finish the current pass (writes are atomic anyway), then exit cleanly
        Thread hook = new Thread(
                () -> {
                    stop.countDown();
                    awaitQuietly(stopped);
                },
                "flagctl-scheduler-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (FlagAdmin admin = connection.connect()) {
            FlagScheduler scheduler = new FlagScheduler(admin);
            if (!once && !json) {
                out("scheduler on namespace '" + connection.namespace + "' at " + connection.displayUri()
                        + ", polling every " + Formats.millis(interval) + " (Ctrl-C to stop)");
            }
            do {
                pass(scheduler);
            } while (!once && !stop.await(interval.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            // interruption is how an embedding caller stops the scheduler: return normally
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for 'stopped'
            }
        }
        return ExitCodes.OK;
    }

    /** Runs due changes until none is left; a Redis outage is reported and retried next pass. */
    private void pass(FlagScheduler scheduler) {
        try {
            List<ScheduleEntry> settled;
            do {
                settled = scheduler.runDue(Instant.now());
                settled.forEach(this::print);
            } while (settled.size() >= FlagScheduler.MAX_PER_RUN);
        } catch (StoreUnavailableException e) {
            spec.commandLine()
                    .getErr()
                    .println("scheduler: " + Redaction.scrub(e.getMessage(), connection.redis) + " (retrying)");
            spec.commandLine().getErr().flush();
        }
    }

    private void print(ScheduleEntry e) {
        if (json) {
            ObjectNode node = ScheduleListCommand.json(e);
            Json.printLine(spec.commandLine().getOut(), node);
            return;
        }
        String what = ScheduleListCommand.describe(e.change());
        if (e.state() == ScheduleEntry.State.APPLIED) {
            Duration late = Duration.between(e.change().due(), e.settledAt());
            out("applied " + e.id() + ": " + what + ": version " + e.appliedVersion() + " (due "
                    + Formats.time(e.change().due()) + ", " + Formats.millis(late.isNegative() ? Duration.ZERO : late)
                    + " late)");
        } else {
            out("FAILED " + e.id() + ": " + what + ": " + e.detail());
        }
    }

    private void out(String line) {
        spec.commandLine().getOut().println(line);
        spec.commandLine().getOut().flush();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
