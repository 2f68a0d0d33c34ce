package io.flagstore.console;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/console}: runs the console, or helps write its credential files.
 *
 * <pre>
 * bin/console [--option value ...]          serve (options: bin/console --help)
 * bin/console hash-password                 read a password (twice) and print its hash for the users file
 * bin/console new-token NAME GRANTS         print a new API token and its line for the tokens file
 * </pre>
 */
public final class ConsoleMain {
    private ConsoleMain() {}

    /**
     * Entry point; exits 2 on a bad option, 5 when Redis cannot be reached (flagctl's exit codes).
     *
     * @param args see the class comment
     */
    public static void main(String[] args) throws Exception {
        List<String> list = Arrays.asList(args);
        if (!list.isEmpty() && list.get(0).equals("hash-password")) {
            System.out.println(PasswordHash.hash(readPassword()));
            return;
        }
        if (!list.isEmpty() && list.get(0).equals("new-token")) {
            if (list.size() != 3) {
                fail(ApiError.Code.USAGE, "usage: new-token NAME GRANTS   (e.g. new-token deploy-bot operator@prod)");
            }
            Grants grants = Grants.parse(list.get(2));
            String token = ApiTokens.generate();
            System.out.println("token (give it to the automation; it is not stored): " + token);
            System.out.println("line for the tokens file:");
            System.out.println(list.get(1) + " " + ApiTokens.sha256(token) + " " + grants);
            return;
        }
        if (list.contains("--help") || list.contains("-h")) {
            System.out.println("usage: bin/console [--option value ...] | hash-password | new-token NAME GRANTS");
            System.out.println("options (flag, environment variable, meaning):");
            System.out.print(ConsoleConfig.usage());
            return;
        }
        ConsoleConfig config;
        try {
            config = ConsoleConfig.parse(list, System.getenv());
        } catch (IllegalArgumentException e) {
            fail(ApiError.Code.USAGE, e.getMessage());
            return;
        }
        io.flagstore.console.Console console;
        try {
            console = io.flagstore.console.Console.start(config);
        } catch (RuntimeException e) {
            ApiError error = ApiError.of(e);
            fail(error.code, error.getMessage());
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            console.close();
                            stopped.countDown();
                        },
                        "console-stop"));
        System.out.println("CONSOLE " + console.url() + " " + config);
        stopped.await();
    }

    private static char[] readPassword() throws IOException {
        Console terminal = System.console();
        if (terminal != null) {
            char[] first = terminal.readPassword("password: ");
            char[] second = terminal.readPassword("again: ");
            if (!Arrays.equals(first, second)) {
                fail(ApiError.Code.USAGE, "the passwords differ");
            }
            return first;
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
            fail(ApiError.Code.USAGE, "no password on standard input");
        }
        return line.toCharArray();
    }

    private static void fail(ApiError.Code code, String message) {
        System.err.println("console: error: " + message);
        System.exit(code.exitCode);
    }
}
