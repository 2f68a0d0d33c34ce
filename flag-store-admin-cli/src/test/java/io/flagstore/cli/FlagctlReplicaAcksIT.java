package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.redis.testing.RedisServerExtension;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --replica-acks} against a Redis without replicas: the write is applied, and flagctl says so
 * and exits 10 (docs/cli.md); FlagctlSentinelIT covers the confirmed case.
 */
class FlagctlReplicaAcksIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    @Test
    void aWriteNoReplicaConfirmsIsReportedAsAppliedWithExit10() {
        Map<String, String> env = Cli.env(redis.uri(), redis.uniqueNamespace());
        Cli.Result r =
                Cli.run(env, Cli.NO_TERMINAL, "create", "k", "--replica-acks", "1", "--replica-ack-timeout", "100ms");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(10);
        assertThat(r.err())
                .contains("flagctl: error: write applied on the Redis master")
                .contains("at version 1 (and published), but only 0 of 1 replicas confirmed it within 100 ms")
                .contains("hint: do not simply retry (it is written)");
        assertThat(Cli.flag(env, "k").get("key").asText()).isEqualTo("k");
    }

    @Test
    void theEnvironmentSetsTheDefault() {
        Map<String, String> env = new HashMap<>(Cli.env(redis.uri(), redis.uniqueNamespace()));
        env.put(Flagctl.ENV_REPLICA_ACKS, "1");
        Cli.Result r = Cli.run(env, Cli.NO_TERMINAL, "create", "k", "--replica-ack-timeout", "50ms");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(10);
        assertThat(Cli.run(env, Cli.NO_TERMINAL, "disable", "k", "--replica-acks", "0", "--no-wait")
                        .exitCode())
                .isZero();
    }

    @Test
    void badValuesAreUsageErrorsAndWriteNothing() {
        Map<String, String> env = Cli.env(redis.uri(), redis.uniqueNamespace());
        Cli.Result negative = Cli.run(env, Cli.NO_TERMINAL, "create", "k", "--replica-acks", "-1");
        assertThat(negative.exitCode()).as(negative.toString()).isEqualTo(2);
        assertThat(negative.err()).contains("replicaAcks must be 0 (off) or more, not -1");
        Cli.Result tooLong =
                Cli.run(env, Cli.NO_TERMINAL, "create", "k", "--replica-acks", "1", "--replica-ack-timeout", "5s");
        assertThat(tooLong.exitCode()).as(tooLong.toString()).isEqualTo(2);
        assertThat(tooLong.err()).contains("must be shorter than commandTimeout");
        assertThat(Cli.run(env, Cli.NO_TERMINAL, "get", "k").exitCode()).isEqualTo(3);
    }
}
