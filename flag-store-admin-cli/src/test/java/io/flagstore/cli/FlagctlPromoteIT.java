package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.redis.testing.RedisServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code flagctl promote}: definitions from one namespace to another, with their segments, in one write. */
class FlagctlPromoteIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    @TempDir
    Path dir;

    private String staging;
    private String prod;
    private Map<String, String> stagingEnv;
    private Map<String, String> prodEnv;

    @BeforeEach
    void namespaces() throws IOException {
        staging = redis.uniqueNamespace();
        prod = redis.uniqueNamespace();
        stagingEnv = Cli.env(redis.uri(), staging);
        prodEnv = Cli.env(redis.uri(), prod);
        Path file = dir.resolve("staging.json");
        Files.writeString(
                file,
                """
                {"flags": [
                  {"key": "new-checkout", "enabled": true, "rules": [{"id": "beta", "serve": {"variant": "on"},
                    "clauses": [{"attribute": "key", "op": "inSegment", "values": ["beta-testers"]}]}]},
                  {"key": "dark-mode", "tags": ["ui"]},
                  {"key": "search-v2", "description": "tested in staging"}],
                 "segments": [{"key": "beta-testers", "included": ["alice"]}, {"key": "unused", "included": ["bob"]}]}
                """);
        Cli.ok(stagingEnv, "apply", "-f", file.toString());
        Cli.ok(prodEnv, "create", "search-v2");
    }

    private Cli.Result promote(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "promote";
        all[1] = "--from";
        all[2] = staging;
        all[3] = "--to";
        all[4] = prod;
        System.arraycopy(args, 0, all, 5, args.length);
        return Cli.run(prodEnv, Cli.NO_TERMINAL, all);
    }

    private long prodVersion() {
        return Cli.ok(prodEnv, "status", "--json").json().get("version").asLong();
    }

    @Test
    void aDryRunShowsThePlanWithTheSegmentsNeededAndWritesNothing() {
        long before = prodVersion();
        Cli.Result plan = promote("--dry-run");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out())
                .contains("create", "new-checkout", "dark-mode", "beta-testers")
                .contains("update", "search-v2", "description")
                .contains("dry run: nothing written")
                .doesNotContain("unused");
        assertThat(prodVersion()).isEqualTo(before);
    }

    @Test
    void promotingAFlagCopiesItAndItsSegmentsInOneWrite() {
        long before = prodVersion();
        JsonNode result =
                promote("new-checkout", "--json", "--reason", "release 42").json();
        assertThat(result.get("version").asLong()).isEqualTo(before + 1);
        assertThat(result.get("keys"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("new-checkout", "segment:beta-testers");
        assertThat(Cli.flag(prodEnv, "new-checkout").get("enabled").asBoolean()).isTrue();

        JsonNode entry = Cli.ok(prodEnv, "history", "--limit", "1", "--json")
                .json()
                .get("entries")
                .get(0);
        assertThat(entry.get("reason").asText()).isEqualTo("release 42");

        Cli.Result again = promote("new-checkout");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("nothing to promote");
        assertThat(prodVersion()).isEqualTo(before + 1);
    }

    @Test
    void aTagSelectsTheFlags() {
        JsonNode result = promote("--tag", "ui", "--json").json();
        assertThat(result.get("keys")).extracting(JsonNode::asText).containsExactly("dark-mode");
    }

    @Test
    void badSelectionsAreRefusedAndWriteNothing() {
        long before = prodVersion();
        Cli.Result missing = promote("new-checkout", "no-such-flag");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).contains("no-such-flag", "nothing written");

        Cli.Result noTag = promote("--tag", "nope");
        assertThat(noTag.exitCode()).as(noTag.toString()).isEqualTo(ExitCodes.NOT_FOUND);

        Cli.Result same = Cli.run(prodEnv, Cli.NO_TERMINAL, "promote", "--from", prod, "--to", prod);
        assertThat(same.exitCode()).as(same.toString()).isEqualTo(ExitCodes.USAGE);

        Cli.Result both = promote("new-checkout", "--tag", "ui");
        assertThat(both.exitCode()).as(both.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(prodVersion()).isEqualTo(before);
    }
}
