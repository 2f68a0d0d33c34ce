package io.flagstore.cli;

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
