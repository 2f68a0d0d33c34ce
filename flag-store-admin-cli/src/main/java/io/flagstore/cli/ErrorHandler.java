package io.flagstore.cli;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.VersionConflictException;
import io.flagstore.redis.AccessDeniedException;
import io.flagstore.redis.AdminErrorCode;
import io.flagstore.redis.NamespaceNotEmptyException;
import io.flagstore.redis.NamespaceResetException;
import io.flagstore.redis.ReplicationException;
import io.flagstore.redis.VersionRegressionException;
import io.flagstore.redis.WriteOutcomeUnknownException;
import java.io.PrintWriter;
import java.io.StringWriter;
import javax.net.ssl.SSLException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into two lines on stderr ({@code flagctl: error: <cause>} and {@code hint:
 * ...}) and a documented exit code. Never prints a stack trace unless {@code --verbose}, and scrubs
 * the Redis password from everything it prints.
 */
final class ErrorHandler implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String command = cl.getCommandSpec().qualifiedName();
        String hint = "see '" + command + " --help'";
        if (cl.getCommandSpec().parent() == null && ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
            hint = unmatched.getUnmatched().get(0).startsWith("-")
                    ? "options go after the command, e.g. '" + command + " disable KEY --namespace prod'"
                    : "unknown command: '" + command + " --help' lists them";
        }
        print(cl.getErr(), Redaction.scrubUris(ex.getMessage()), hint);
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        String uri = redisUri(cl.getCommandSpec());
        PrintWriter err = cl.getErr();
        if (verbose(parseResult)) {
            StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            err.print(Redaction.scrub(trace.toString(), uri));
        }
        print(err, Redaction.scrub(message(ex, cl, uri), uri), Redaction.scrub(hint(ex, cl), uri));
        return exitCode(ex);
    }

    /** The exit code for an exception thrown by a command (also used as picocli's exit code mapper). */
    static int exitCode(Throwable ex) {
        if (ex instanceof CliException cli) {
            return cli.exitCode();
        }
        if (ex instanceof ParameterException) {
            return ExitCodes.USAGE;
        }
        return AdminErrorCode.of(ex).number();
    }

    /** Writes the two-line error report. */
    static void print(PrintWriter err, String message, String hint) {
        report(err, "error", message, hint);
    }

    /** Writes a two-line warning: something the command did not do, while it did the rest. */
    static void warn(PrintWriter err, String message, String hint) {
        report(err, "warning", message, hint);
    }

    private static void report(PrintWriter err, String kind, String message, String hint) {
        err.println("flagctl: " + kind + ": " + oneLine(message));
        if (hint != null) {
            err.println("hint: " + oneLine(hint));
        }
        err.flush();
    }

    private static String message(Exception ex, CommandLine cl, String uri) {
        if (ex instanceof InvalidFlagException invalid) {
            return "invalid definition: " + String.join("; ", invalid.problems());
        }
        if (ex instanceof AccessDeniedException denied) {
            return denied.requiredRole() == null
                    ? ex.getMessage()
                    : "'" + cl.getCommandSpec().qualifiedName() + "' needs the " + denied.requiredRole() + " role: "
                            + ex.getMessage();
        }
        if (tlsFailure(ex)) {
            return "TLS handshake with Redis at " + Redaction.uri(uri) + " failed: " + rootMessage(ex);
        }
        if (ex instanceof ReplicationException || ex instanceof WriteOutcomeUnknownException) {
            return ex.getMessage();
        }
        if (AdminErrorCode.unreachable(ex)) {
            return "cannot reach Redis at " + Redaction.uri(uri) + ": " + rootMessage(ex);
        }
        if (ex instanceof CliException || ex instanceof io.flagstore.core.FlagStoreException) {
            return ex.getMessage();
        }
        if (ex instanceof IllegalArgumentException) {
            return "invalid argument: " + ex.getMessage();
        }
        return ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
    }

    private static String hint(Exception ex, CommandLine cl) {
        String root = cl.getCommandSpec().root().name();
        if (ex instanceof CliException cli) {
            return cli.hint();
        }
        if (ex instanceof FlagNotFoundException) {
            return "'" + root + " list' shows the flags of this namespace (--namespace selects another)";
        }
        if (ex instanceof VersionConflictException conflict) {
            return "it changed since you read it: '" + root + " get " + conflict.key() + "' shows the current version;"
                    + " re-read and retry";
        }
        if (ex instanceof InvalidFlagException) {
            return "nothing was written; see docs/flag-format.md for the definition format";
        }
        if (ex instanceof NamespaceResetException) {
            return "restore the namespace first with '" + root + " apply -f BACKUP --reseed' (BACKUP: an export, or"
                    + " the backup file of the service holding the highest version, see '" + root + " status');"
                    + " docs/operations.md, \"Data loss and recovery\"";
        }
        if (ex instanceof VersionRegressionException) {
            return "make what Redis holds the truth again under a new epoch, above the services' versions: '" + root
                    + " export -o now.json' then '" + root + " apply -f now.json --reseed --force', then repeat the"
                    + " write; docs/operations.md, \"Version went backwards\"";
        }
        if (ex instanceof WriteOutcomeUnknownException) {
            return "do not simply retry: '" + root + " history --limit 5' shows the write (with your actor and"
                    + " reason) if it happened, and '" + root + " status' the namespace version";
        }
        if (ex instanceof ReplicationException) {
            return "do not simply retry (it is written); check the replicas ('redis-cli -u URL INFO replication'):"
                    + " one may be down or lagging; docs/operations.md, \"Replica acknowledgement\"";
        }
        if (ex instanceof NamespaceNotEmptyException) {
            return "'" + root + " export -o before.json' keeps what it holds; '" + root
                    + " apply -f FILE --reseed --force' replaces all of it";
        }
        if (ex instanceof IllegalArgumentException) {
            return "nothing was written; see '" + cl.getCommandSpec().qualifiedName() + " --help'";
        }
        if (ex instanceof AccessDeniedException && ex.getMessage().startsWith("the sentinels")) {
            return "give the sentinels' password with " + Flagctl.ENV_SENTINEL_PASSWORD + " (--sentinel-password) and"
                    + " their user, if any, with --sentinel-user; docs/operations.md, \"Sentinel\"";
        }
        if (ex instanceof AccessDeniedException denied) {
            return denied.requiredRole() == null
                    ? "Redis refused the credentials: check the user and password in --redis / " + Flagctl.ENV_REDIS
                    : "connect with a Redis user that has the " + denied.requiredRole() + " role (--redis / "
                            + Flagctl.ENV_REDIS + "); the service role can only read: see docs/operations.md,"
                            + " \"Access control\"";
        }
        if (tlsFailure(ex)) {
            return "the server's certificate must be signed by a CA you trust (--redis-ca / " + Flagctl.ENV_REDIS_CA
                    + ", PEM) and name the host of the URL; see docs/operations.md, \"TLS\"";
        }
        if (AdminErrorCode.unreachable(ex)) {
            String cause = rootMessage(ex);
            if (cause.contains("WRONGPASS") || cause.contains("NOAUTH") || cause.contains("AUTH")) {
                return "Redis refused the credentials: check the user and password in --redis / " + Flagctl.ENV_REDIS;
            }
            return "check --redis / " + Flagctl.ENV_REDIS + " and that Redis is running ('redis-cli -u URL ping')";
        }
        return "run again with --verbose for the stack trace";
    }

    private static boolean tlsFailure(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    private static String redisUri(CommandSpec spec) {
        for (CommandSpec mixin : spec.mixins().values()) {
            if (mixin.userObject() instanceof ConnectionOptions conn) {
                return conn.redis;
            }
        }
        return null;
    }

    private static boolean verbose(ParseResult parseResult) {
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
