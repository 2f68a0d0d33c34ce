package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs flagctl in-process as a user would: arguments in; stdout, stderr and exit code out. */
final class Cli {
    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {
        /** Stdout parsed as JSON (fails the test if it is not). */
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(out);
            } catch (Exception e) {
                throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A prompt answering {@code answer}, as if on a terminal. */
    static Prompt answering(boolean answer) {
        return new Prompt() {
            @Override
            public boolean interactive() {
                return true;
            }

            @Override
            public boolean confirm(String question) {
                return answer;
            }
        };
    }

    /** No terminal: nobody can answer. */
    static final Prompt NO_TERMINAL = new Prompt() {
        @Override
        public boolean interactive() {
            return false;
        }

        @Override
        public boolean confirm(String question) {
            throw new AssertionError("asked without a terminal: " + question);
        }
    };

    private Cli() {}

    /** The environment of a shell pointed at one Redis and namespace, as flagctl reads it. */
    static Map<String, String> env(String redisUri, String namespace) {
        return Map.of(Flagctl.ENV_REDIS, redisUri, Flagctl.ENV_NAMESPACE, namespace);
    }

    /** Runs without a terminal and asserts success: exit 0 and nothing on stderr. */
    static Result ok(Map<String, String> env, String... args) {
        Result r = run(env, NO_TERMINAL, args);
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isZero();
        assertThat(r.err()).as(String.join(" ", args)).isEmpty();
        return r;
    }

    /** The definition {@code flagctl get KEY --json} shows. */
    static JsonNode flag(Map<String, String> env, String key) {
        return ok(env, "get", key, "--json").json().get("flag");
    }

    static Result run(Map<String, String> env, Prompt prompt, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Flagctl.commandLine(env, prompt)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static Result run(String... args) {
        return run(Map.of(), NO_TERMINAL, args);
    }
}
