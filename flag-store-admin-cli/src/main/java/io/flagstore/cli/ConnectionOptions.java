package io.flagstore.cli;

import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisOptions;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The connection options every command that talks to Redis mixes in. */
final class ConnectionOptions {
    // Defaults come from the environment through Flagctl's default value provider, so the help
    // never echoes a URL (which may hold a password).
    @Option(
            names = "--redis",
            paramLabel = "URL",
            description = "Redis URL: redis://[[user]:password@]host[:port][/db] or rediss:// for TLS; behind Sentinel"
                    + " redis-sentinel://[[user]:password@]host[:port][,host[:port]...][/db]#MASTER; a Redis Cluster:"
                    + " redis-cluster://[[user]:password@]host:port[,host:port...] (rediss-cluster:// for TLS) (env "
                    + Flagctl.ENV_REDIS + ", default " + Flagctl.DEFAULT_REDIS + ").")
    String redis;

    @Option(
            names = "--redis-ca",
            paramLabel = "PEM",
            description = "CA certificate(s), PEM, trusted for rediss:// instead of the JVM's trust store (env "
                    + Flagctl.ENV_REDIS_CA + "). The server's certificate is always verified, host name included.")
    Path redisCa;

    @Option(
            names = "--sentinel-user",
            paramLabel = "USER",
            description = "ACL user the sentinels of a redis-sentinel:// URL are asked as (env "
                    + Flagctl.ENV_SENTINEL_USER + "; default: their default user).")
    String sentinelUser;

    @Option(
            names = "--sentinel-password",
            paramLabel = "PASSWORD",
            description = "Password of sentinels with requirepass or ACL users (env " + Flagctl.ENV_SENTINEL_PASSWORD
                    + ", preferred: command lines are visible in ps). The URL's password is the data nodes'.")
    String sentinelPassword;

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "Namespace (environment) (env " + Flagctl.ENV_NAMESPACE + ", default "
                    + Flagctl.DEFAULT_NAMESPACE + ").")
    String namespace;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description = "Redis command timeout (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--replica-acks",
            paramLabel = "N",
            description = "Writes wait until N replicas hold them (Redis WAIT); when fewer confirm, the exit code"
                    + " says so (see Exit codes): the write is then applied but not yet safe from a failover (env "
                    + Flagctl.ENV_REPLICA_ACKS + ", default 0: no wait).")
    int replicaAcks;

    @Option(
            names = "--replica-ack-timeout",
            paramLabel = "DURATION",
            defaultValue = "1s",
            converter = DurationConverter.class,
            description = "How long --replica-acks waits; shorter than --timeout (default ${DEFAULT-VALUE}).")
    Duration replicaAckTimeout;

    /** The options for the admin library and sources; bad values are usage errors. */
    RedisOptions redisOptions() {
        try {
            return RedisOptions.builder()
                    .uri(redis)
                    .namespace(namespace)
                    .commandTimeout(timeout)
                    .trustedCertificate(redisCa)
                    .replicaAcks(replicaAcks, replicaAckTimeout)
                    .sentinelCredentials(sentinelUser, sentinelPassword)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CliException(
                    ExitCodes.USAGE,
                    Redaction.scrub(e.getMessage(), redis),
                    "--redis takes a redis:// or rediss:// URL (user and password optional), or"
                            + " redis-sentinel://host:port,host:port#MASTER, or redis-cluster://host:port[,host:port...];"
                            + " --namespace matches"
                            + " [a-z0-9][a-z0-9._-]{0,63}; --redis-ca (" + Flagctl.ENV_REDIS_CA
                            + ") is a PEM certificate file and needs rediss://; --replica-acks ("
                            + Flagctl.ENV_REPLICA_ACKS + ") is 0 or more, --replica-ack-timeout shorter than"
                            + " --timeout");
        }
    }

    /** Connects the admin library; the caller closes it. */
    FlagAdmin connect() {
        return FlagAdmin.connect(redisOptions());
    }

    /** The URL with the password masked, for output. */
    String displayUri() {
        return Redaction.uri(redis);
    }
}
