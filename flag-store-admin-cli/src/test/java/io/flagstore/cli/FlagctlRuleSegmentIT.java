package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.redis.testing.RedisServerExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rules, segments and bucketing written with flagctl verbs instead of JSON, against a real Redis. */
class FlagctlRuleSegmentIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private Map<String, String> env;

    @BeforeEach
    void namespace() {
        env = Cli.env(redis.uri(), redis.uniqueNamespace());
        ok("create", "new-checkout", "--enabled");
    }

    private Cli.Result run(String... args) {
        return Cli.run(env, Cli.NO_TERMINAL, args);
    }

    private Cli.Result ok(String... args) {
        return Cli.ok(env, args);
    }

    private JsonNode flag() {
        return Cli.flag(env, "new-checkout");
    }

    private long version() {
        return ok("status", "--json").json().get("version").asLong();
    }

    @Test
    void rulesAreAddedInPlaceAndRemovedByIdOrPosition() {
        ok("segment", "create", "beta-testers", "--include", "alice,bob", "--match", "email endsWith @example.com");
        ok("rule", "add", "new-checkout", "--clause", "inSegment beta-testers", "--serve", "on", "--id", "beta");
        ok(
                "rule",
                "add",
                "new-checkout",
                "--clause",
                "country in US,DE",
                "--clause",
                "age gte 18",
                "--rollout",
                "on=50",
                "--rollout",
                "off=50",
                "--bucket-by",
                "org",
                "--position",
                "1");

        JsonNode rules = flag().get("rules");
        assertThat(rules).extracting(r -> r.get("id").asText()).containsExactly("rule-2", "beta");
        JsonNode first = rules.get(0);
        assertThat(first.get("clauses").get(0).get("op").asText()).isEqualTo("in");
        assertThat(first.get("clauses").get(1).get("values").get(0).asInt()).isEqualTo(18);
        assertThat(first.get("serve").get("rollout").get("bucketBy").asText()).isEqualTo("org");

        ok("rule", "remove", "new-checkout", "--position", "1");
        ok("rule", "remove", "new-checkout", "--id", "beta");
        assertThat(flag().path("rules")).isEmpty();
    }

    @Test
    void badRulesWriteNothing() {
        long before = version();
        Cli.Result badClause = run("rule", "add", "new-checkout", "--clause", "country is US", "--serve", "on");
        assertThat(badClause.exitCode()).as(badClause.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badClause.err()).contains("'is' is not an operator");

        Cli.Result both =
                run("rule", "add", "new-checkout", "--clause", "a in b", "--serve", "on", "--rollout", "on=100");
        assertThat(both.exitCode()).as(both.toString()).isEqualTo(ExitCodes.USAGE);

        Cli.Result unknownVariant = run("rule", "add", "new-checkout", "--clause", "a in b", "--serve", "maybe");
        assertThat(unknownVariant.exitCode()).as(unknownVariant.toString()).isEqualTo(ExitCodes.INVALID);

        Cli.Result unknownSegment = run("rule", "add", "new-checkout", "--clause", "inSegment nobody", "--serve", "on");
        assertThat(unknownSegment.exitCode()).as(unknownSegment.toString()).isEqualTo(ExitCodes.INVALID);
        assertThat(unknownSegment.err()).contains("nobody");

        Cli.Result noRule = run("rule", "remove", "new-checkout", "--id", "ghost");
        assertThat(noRule.exitCode()).as(noRule.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(version()).isEqualTo(before);
    }

    @Test
    void segmentKeysAreIncludedExcludedAndTheSegmentDeletedOnceUnused() {
        ok("segment", "create", "staff", "--include", "alice", "--description", "employees");
        ok("segment", "include", "staff", "add", "bob", "carol");
        ok("segment", "include", "staff", "remove", "alice");
        ok("segment", "exclude", "staff", "add", "mallory");
        JsonNode staff = Cli.ok(env, "segment", "get", "staff").json();
        assertThat(staff.get("included")).extracting(JsonNode::asText).containsExactly("bob", "carol");
        assertThat(staff.get("excluded")).extracting(JsonNode::asText).containsExactly("mallory");
        assertThat(ok("segment", "include", "staff", "add", "bob").out()).contains("nothing to change");

        Cli.Result again = run("segment", "create", "staff");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.CONFLICT);

        ok("rule", "add", "new-checkout", "--clause", "inSegment staff", "--serve", "on");
        Cli.Result inUse = run("segment", "delete", "staff");
        assertThat(inUse.exitCode()).as(inUse.toString()).isEqualTo(ExitCodes.INVALID);
        ok("rule", "remove", "new-checkout", "--position", "1");
        ok("segment", "delete", "staff");
        assertThat(run("segment", "get", "staff").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void theFallthroughRolloutCanBeBucketedByAnAttribute() {
        ok("rollout", "new-checkout", "on=25", "off=75", "--bucket-by", "org");
        JsonNode rollout = flag().get("fallthrough").get("rollout");
        assertThat(rollout.get("bucketBy").asText()).isEqualTo("org");
        ok("rollout", "new-checkout", "on=50", "off=50");
        assertThat(flag().get("fallthrough").get("rollout").get("bucketBy").asText())
                .isEqualTo("org");
    }
}
