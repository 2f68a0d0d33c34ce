package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.RedisServerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and garbage argument vectors for flagctl, run in-process against a real Redis
 * (docs/operations.md, "Hostile input"): every run ends with a documented exit code; a failure is
 * one {@code flagctl: error:} line (and at most a hint), never a stack trace or a leaked exception
 * name; and a failed command wrote nothing (the namespace version and audit stream are unchanged).
 * Seeded; a failure names the seed and the arguments. {@code watch} (it runs until interrupted) and
 * {@code --verbose} (it prints stack traces on purpose) are left out.
 */
class FlagctlHostileArgumentsIT {
    private static final long SEED = Long.getLong("flagstore.fuzz.seed", 0x20261125L);
    private static final int RUNS = 300;
    private static final Pattern LEAKED_EXCEPTION = Pattern.compile("\\b[A-Z]\\w*(Exception|Error)\\b|\\tat ");

    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    @TempDir
    Path dir;

    private String namespace;
    private KeySchema keys;
    private Map<String, String> env;
    private List<String> files;

    @BeforeEach
    void namespace() throws IOException {
        namespace = redis.uniqueNamespace();
        keys = KeySchema.of(namespace);
        env = Cli.env(redis.uri(), namespace);
        assertThat(run("create", "payments-api", "--tag", "payments").exitCode())
                .isZero();
        assertThat(run("create", "checkout", "--type", "string", "--variant", "a=\"x\"", "--variant", "b=\"y\"")
                        .exitCode())
                .isZero();
        byte[] garbage = new byte[2_000];
        new SplittableRandom(SEED).nextBytes(garbage);
        files = List.of(
                Files.write(dir.resolve("garbage.json"), garbage).toString(),
                Files.writeString(dir.resolve("valid.json"), "{\"flags\":[{\"key\":\"from-file\",\"enabled\":true}]}")
                        .toString(),
                Files.writeString(dir.resolve("flag.json"), "{\"key\":\"from-file-2\"}")
                        .toString(),
                Files.writeString(
                                dir.resolve("invalid.json"),
                                "{\"flags\":[{\"key\":\"x\",\"offVariant\":\"nope\"}]}",
                                StandardCharsets.UTF_8)
                        .toString(),
                Files.writeString(dir.resolve("deep.json"), "[".repeat(100_000)).toString(),
                dir.resolve("missing.json").toString(),
                dir.resolve("out.json").toString(),
                dir.toString());
    }

    private Cli.Result run(String... args) {
        return Cli.run(env, Cli.NO_TERMINAL, args);
    }

    @Test
    void garbageArgumentsGiveADocumentedExitCodeAOneLineErrorAndNoPartialWrite() {
        Set<Integer> exitCodes = new TreeSet<>();
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int i = 0; i < RUNS; i++) {
                long seed = SEED + i;
                String[] args = arguments(new SplittableRandom(seed));
                String where =
                        "seed " + seed + " (base " + SEED + ", run " + i + "): flagctl " + String.join(" ", args);
                Object versionBefore = redis.execute("GET", keys.version());
                Object auditBefore = redis.execute("XLEN", keys.audit());

                Cli.Result r = run(args);
                exitCodes.add(r.exitCode());

                assertThat(r.exitCode()).as(where + "\n" + r).isBetween(ExitCodes.OK, ExitCodes.DENIED);
                assertThat(r.err() + r.out()).as(where + "\n" + r).doesNotContainPattern(LEAKED_EXCEPTION);
                if (r.exitCode() != ExitCodes.OK) {
                    List<String> lines = r.err().lines().toList();
                    assertThat(lines).as(where + "\n" + r).isNotEmpty().hasSizeLessThanOrEqualTo(2);
                    assertThat(lines.get(0)).as(where).startsWith("flagctl: error: ");
                    if (lines.size() == 2) {
                        assertThat(lines.get(1)).as(where).startsWith("hint: ");
                    }
                }
                if (r.exitCode() != ExitCodes.OK && r.exitCode() != ExitCodes.WAIT_TIMEOUT) {
                    assertThat(redis.execute("GET", keys.version()))
                            .as(where + ": failed, so nothing written")
                            .isEqualTo(versionBefore);
                    assertThat(redis.execute("XLEN", keys.audit()))
                            .as(where + ": failed, so no audit entry")
                            .isEqualTo(auditBefore);
                }
            }
        });
        assertThat(exitCodes)
                .as("the vectors reach success, usage errors, missing flags, bad definitions and bad connections")
                .contains(
                        ExitCodes.OK,
                        ExitCodes.USAGE,
                        ExitCodes.NOT_FOUND,
                        ExitCodes.CONFLICT,
                        ExitCodes.UNAVAILABLE,
                        ExitCodes.INVALID);
    }

    private static final String[] COMMANDS = {
        "list",
        "ls",
        "get",
        "show",
        "create",
        "set",
        "edit",
        "enable",
        "disable",
        "rollout",
        "target",
        "delete",
        "history",
        "export",
        "apply",
        "status",
        "completion",
        "help",
        "unknown-command",
        "",
        "-",
        "--",
        "DISABLE"
    };
    private static final String[] OPTIONS = {
        "--reason",
        "--actor",
        "--expect-version",
        "--wait",
        "--no-wait",
        "--wait-timeout",
        "--json",
        "--tag",
        "--state",
        "--owner",
        "--type",
        "--variant",
        "--off-variant",
        "--fallthrough",
        "--description",
        "--temporary",
        "--expires",
        "--enabled",
        "--from-file",
        "-f",
        "--dry-run",
        "--limit",
        "--count",
        "-o",
        "--yes",
        "--tags",
        "--add-tag",
        "--remove-tag",
        "--timeout",
        "--help",
        "--version",
        "-n",
        "--namespace",
        "--redis",
        "--redis-ca",
        "--bogus",
        "-x",
        "--json=maybe",
        "--limit=-1"
    };
    private static final String[] VALUES = {
        "payments-api",
        "checkout",
        "nope",
        "Bad Key",
        "on",
        "off",
        "a",
        "b",
        "on=50",
        "off=50",
        "on=150",
        "on=-1",
        "on=1e400",
        "on=NaN",
        "off=",
        "=",
        "a=\"x\"",
        "b={\"deep\":[[[[1]]]]}",
        "add",
        "remove",
        "true",
        "false",
        "payments",
        "0",
        "-1",
        "1",
        "99999999999999999999",
        "1e400",
        "NaN",
        "0s",
        "-5s",
        "1ms",
        "10s",
        "999999999d",
        "2027-01-31",
        "yesterday",
        "none",
        "",
        " ",
        "\u0000",
        "😀",
        "\u202eevil",
        "line\nbreak",
        "%s%n",
        "${env:HOME}",
        "redis://127.0.0.1:1",
        "redis://u:pw@127.0.0.1:1",
        "http://127.0.0.1",
        "rediss://127.0.0.1:1",
        "not a url",
        "Bad Namespace",
        "string",
        "number",
        "json",
        "boolean",
        "on,off"
    };

    /** Near-valid command lines; each {@code $} becomes a hostile or plausible value. */
    private static final String[][] TEMPLATES = {
        {"disable", "$KEY", "--expect-version", "$NUM", "--no-wait"},
        {"enable", "$KEY", "--reason", "$ANY", "--actor", "$ANY"},
        {"list", "--redis", "$URL"},
        {"status", "--json", "--redis", "$URL", "--timeout", "$NUM"},
        {"rollout", "$KEY", "$ANY", "$ANY"},
        {"target", "$KEY", "$ANY", "$ANY", "$ANY"},
        {"create", "$ANY", "--type", "$ANY", "--variant", "$ANY"},
        {"set", "$KEY", "--description", "$ANY", "--expect-version", "$NUM"},
        {"apply", "-f", "$FILE"},
        {"create", "--from-file", "$FILE"},
        {"history", "$KEY", "--limit", "$NUM"},
        {"delete", "$KEY", "--yes", "--expect-version", "$NUM"},
        {"export", "-o", "$FILE"}
    };

    private static final String[] URLS = {
        "redis://127.0.0.1:1", "redis://u:pw@127.0.0.1:1", "http://127.0.0.1", "rediss://127.0.0.1:1", "not a url", ""
    };
    private static final String[] NUMBERS = {"0", "-1", "1", "2", "99999999999999999999", "1e400", "NaN", "1ms"};

    private String[] arguments(SplittableRandom r) {
        return r.nextBoolean() ? template(r) : randomArguments(r);
    }

    private String[] template(SplittableRandom r) {
        List<String> args = new ArrayList<>();
        for (String token : TEMPLATES[r.nextInt(TEMPLATES.length)]) {
            args.add(
                    switch (token) {
                        case "$KEY" -> r.nextInt(4) == 0 ? VALUES[r.nextInt(VALUES.length)] : "payments-api";
                        case "$NUM" -> NUMBERS[r.nextInt(NUMBERS.length)];
                        case "$URL" -> URLS[r.nextInt(URLS.length)];
                        case "$FILE" -> files.get(r.nextInt(files.size()));
                        case "$ANY" -> r.nextInt(4) == 0 ? randomText(r) : VALUES[r.nextInt(VALUES.length)];
                        default -> token;
                    });
        }
        return sanitized(args);
    }

    private String[] randomArguments(SplittableRandom r) {
        List<String> args = new ArrayList<>();
        if (r.nextInt(10) != 0) {
            args.add(COMMANDS[r.nextInt(COMMANDS.length)]);
        }
        for (int n = r.nextInt(7); n > 0; n--) {
            switch (r.nextInt(5)) {
                case 0 -> {
                    args.add(OPTIONS[r.nextInt(OPTIONS.length)]);
                    if (r.nextBoolean()) {
                        args.add(VALUES[r.nextInt(VALUES.length)]);
                    }
                }
                case 1 -> args.add(files.get(r.nextInt(files.size())));
                case 2 -> args.add(r.nextInt(20) == 0 ? "x".repeat(10_000) : randomText(r));
                default -> args.add(VALUES[r.nextInt(VALUES.length)]);
            }
        }
        return sanitized(args);
    }

    private String[] sanitized(List<String> args) {
        // export writes where -o says: keep it in the temporary directory, never the working directory
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("-o")) {
                args.set(i + 1, dir.resolve("out.json").toString());
            }
        }
        return args.toArray(String[]::new);
    }

    private static String randomText(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(12); n > 0; n--) {
            sb.appendCodePoint(r.nextInt(10) == 0 ? 0x1F600 + r.nextInt(50) : r.nextInt(0x20, 0x7F));
        }
        // no leading '-': a random "-oNAME" would be export's -o with an attached file name
        return sb.toString().replaceFirst("^-", "_");
    }
}
