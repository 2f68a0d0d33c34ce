package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Wrong invocations are answered before any connection: a clear message, a hint, exit 2. */
class FlagctlUsageTest {
    static Stream<Arguments> wrongInvocations() {
        return Stream.of(
                Arguments.of(new String[] {}, "missing command"),
                Arguments.of(new String[] {"frobnicate"}, "frobnicate"),
                Arguments.of(new String[] {"disable"}, "give either a flag KEY or --tag TAG"),
                Arguments.of(new String[] {"enable", "a", "--tag", "t"}, "give either a flag KEY or --tag TAG"),
                Arguments.of(new String[] {"rollout", "k", "on=abc"}, "'abc' is not a number"),
                Arguments.of(new String[] {"rollout", "k"}, "VARIANT=PERCENT"),
                Arguments.of(new String[] {"list", "--state", "maybe"}, "maybe"),
                Arguments.of(new String[] {"target", "k", "on", "frobnicate", "u1"}, "frobnicate"),
                Arguments.of(new String[] {"set", "k"}, "nothing to set"),
                Arguments.of(new String[] {"set", "k", "--expires", "soon"}, "'soon' is not a date"),
                Arguments.of(new String[] {"create", "n", "--type", "number"}, "at least one --variant"),
                Arguments.of(
                        new String[] {"create", "n", "--type", "number", "--variant", "a=ten"},
                        "'ten' is not a number"),
                Arguments.of(new String[] {"create"}, "missing the flag KEY"),
                Arguments.of(new String[] {"disable", "k", "--wait-timeout", "soon"}, "'soon' is not a duration"),
                Arguments.of(new String[] {"disable", "k", "--wait-timeout", "0"}, "--wait-timeout must be positive"),
                Arguments.of(new String[] {"history", "--limit", "x"}, "'x'"),
                Arguments.of(new String[] {"disable", "k", "--expect-version", "-3"}, "--expect-version must be"),
                Arguments.of(new String[] {"create", "k", "--expect-version", "4"}, "can only be 0"),
                Arguments.of(new String[] {"disable", "--tag", "t", "--expect-version", "4"}, "not --tag"),
                Arguments.of(
                        new String[] {"apply", "-f", "x.json", "--expect-version", "4"}, "does not apply to apply"),
                Arguments.of(new String[] {"apply"}, "--file"),
                Arguments.of(new String[] {"list", "--namespace", "Bad Name!"}, "Bad Name!"),
                Arguments.of(new String[] {"list", "--redis", "http://h:1"}, "redis:// or rediss://"));
    }

    @ParameterizedTest
    @MethodSource("wrongInvocations")
    void wrongInvocationIsAUsageErrorWithMessageAndHint(String[] args, String expected) {
        Cli.Result r = Cli.run(args);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().lines().toList()).as(r.toString()).hasSizeBetween(1, 2);
        assertThat(r.err())
                .as(r.toString())
                .startsWith("flagctl: error: ")
                .contains(expected)
                .doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void passwordInABadUriIsNeverPrinted() {
        Cli.Result r = Cli.run("list", "--redis", "http://admin:hunter2@h:1");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out() + r.err()).doesNotContain("hunter2");

        Cli.Result unmatched = Cli.run("list", "redis://admin:hunter2@h:1");
        assertThat(unmatched.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unmatched.out() + unmatched.err()).doesNotContain("hunter2");
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        Cli.Result r = Cli.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("list", "get", "create", "set", "enable", "disable", "rollout", "target", "delete")
                .contains("history", "watch", "export", "apply", "status", "completion")
                .contains("Exit codes:", "6", "--wait: written");
    }

    @Test
    void helpNeverEchoesTheRedisUrlFromTheEnvironment() {
        Cli.Result r = Cli.run(
                java.util.Map.of(Flagctl.ENV_REDIS, "redis://u:envsecret@h:1"), Cli.NO_TERMINAL, "status", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--redis").doesNotContain("envsecret");
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        Cli.Result r = Cli.run("completion");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("complete -F").contains("disable").contains("--expect-version");
    }
}
