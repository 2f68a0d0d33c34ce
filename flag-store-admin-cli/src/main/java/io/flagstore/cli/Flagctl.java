package io.flagstore.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code flagctl} root command. {@link #main} runs it; {@link #commandLine} builds the same
 * command for tests, with the environment and the confirmation prompt injected.
 */
@Command(
        name = "flagctl",
        mixinStandardHelpOptions = true,
        versionProvider = Flagctl.Version.class,
        usageHelpAutoWidth = true,
        description = {
            "Feature flags in Redis: list, flip, roll out and watch them.",
            "Connection: --redis URL (env FLAGSTORE_REDIS_URL, default redis://127.0.0.1:6379),"
                    + " --namespace NS (env FLAGSTORE_NAMESPACE, default 'default').",
            ""
        },
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        footer = {"", "Examples:", "  flagctl disable payments-api --reason \"INC-42\"", "  flagctl status", ""},
        subcommands = {
            ListCommand.class,
            GetCommand.class,
            CreateCommand.class,
            SetCommand.class,
            EnableCommand.class,
            DisableCommand.class,
            RolloutCommand.class,
            TargetCommand.class,
            DeleteCommand.class,
            HistoryCommand.class,
            WatchCommand.class,
            ExportCommand.class,
            ApplyCommand.class,
            StatusCommand.class,
            VerifyCommand.class,
            TrustCommand.class,
            StaleCommand.class,
            ExperimentCommand.class,
            NamespaceCommand.class,
            PromoteCommand.class,
            RuleCommand.class,
            SegmentCommand.class,
            ScheduleCommand.class,
            SchedulerCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Flagctl implements Callable<Integer> {
    static final String ENV_REDIS = "FLAGSTORE_REDIS_URL";
    static final String ENV_NAMESPACE = "FLAGSTORE_NAMESPACE";
    static final String ENV_REDIS_CA = "FLAGSTORE_REDIS_CA";
    static final String ENV_REPLICA_ACKS = "FLAGSTORE_REPLICA_ACKS";
    static final String ENV_SENTINEL_USER = "FLAGSTORE_SENTINEL_USER";
    static final String ENV_SENTINEL_PASSWORD = "FLAGSTORE_SENTINEL_PASSWORD";
    static final String DEFAULT_REDIS = "redis://127.0.0.1:6379";
    static final String DEFAULT_NAMESPACE = "default";

    @Spec
    CommandSpec spec;

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "On errors, also print the stack trace (passwords still masked).")
    boolean verbose;

    private final Map<String, String> env;
    private final Prompt prompt;

    private Flagctl(Map<String, String> env, Prompt prompt) {
        this.env = env;
        this.prompt = prompt;
    }

    /** Runs flagctl and exits the JVM with its exit code. */
    public static void main(String[] args) {
        if (!java.util.Arrays.asList(args).contains("--verbose")) {
            // Lettuce and Netty log reconnect noise through JUL; the CLI reports errors itself.
            Logger.getLogger("").setLevel(Level.OFF);
        }
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try {
            code = commandLine(System.getenv(), Prompt.console())
                    .setOut(new PrintWriter(System.out, true))
                    .setErr(err)
                    .execute(args);
        } catch (LinkageError | VirtualMachineError e) {
            // picocli hands only Exceptions to the handler; still no stack trace for the operator
            ErrorHandler.print(
                    err, "internal error: " + e, "the flagctl jar may be broken: rebuild it with 'mvn package'");
            code = ExitCodes.ERROR;
        }
        System.exit(code);
    }

    /** The configured command line; {@code env} supplies the FLAGSTORE_* defaults. */
    static CommandLine commandLine(Map<String, String> env, Prompt prompt) {
        Flagctl root = new Flagctl(Map.copyOf(env), Objects.requireNonNull(prompt));
        CommandLine cl = new CommandLine(root);
        ErrorHandler errors = new ErrorHandler();
        cl.setDefaultValueProvider(argSpec -> {
            if (argSpec.isOption()) {
                String name = ((CommandLine.Model.OptionSpec) argSpec).longestName();
                if (name.equals("--redis")) {
                    return env.getOrDefault(ENV_REDIS, DEFAULT_REDIS);
                }
                if (name.equals("--namespace")) {
                    return env.getOrDefault(ENV_NAMESPACE, DEFAULT_NAMESPACE);
                }
                if (name.equals("--redis-ca")) {
                    return env.get(ENV_REDIS_CA);
                }
                if (name.equals("--sentinel-user")) {
                    return env.get(ENV_SENTINEL_USER);
                }
                if (name.equals("--sentinel-password")) {
                    return env.get(ENV_SENTINEL_PASSWORD);
                }
                if (name.equals("--replica-acks")) {
                    return env.getOrDefault(ENV_REPLICA_ACKS, "0");
                }
            }
            return null;
        });
        cl.setParameterExceptionHandler(errors);
        cl.setExecutionExceptionHandler(errors);
        cl.setExitCodeExceptionMapper(ErrorHandler::exitCode);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        Map<String, String> codes = new LinkedHashMap<>();
        ExitCodes.TABLE.forEach((code, meaning) -> codes.put(Integer.toString(code), meaning));
        cl.getCommandSpec().usageMessage().exitCodeList(codes);
        return cl;
    }

    Prompt prompt() {
        return prompt;
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** Reports the jar's implementation version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Flagctl.class.getPackage().getImplementationVersion();
            return new String[] {"flagctl " + (v == null ? "(development build)" : v)};
        }
    }
}
