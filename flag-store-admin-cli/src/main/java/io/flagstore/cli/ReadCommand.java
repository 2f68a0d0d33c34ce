package io.flagstore.cli;

import io.flagstore.redis.FlagAdmin;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every read command shares: connect, read through {@link FlagAdmin}, a table or {@code --json}. */
abstract class ReadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--json", description = "Print JSON instead of a table (stable field names; see docs/cli.md).")
    boolean json;

    /** Reads and prints; returns the exit code. */
    abstract int run(FlagAdmin admin);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public Integer call() {
        try (FlagAdmin admin = connection.connect()) {
            return run(admin);
        }
    }
}
