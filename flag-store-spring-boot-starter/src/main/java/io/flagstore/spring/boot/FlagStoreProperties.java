package io.flagstore.spring.boot;

import io.flagstore.core.metrics.MetricsOptions;
import io.flagstore.redis.RedisOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code flagstore.*} properties. With {@code flagstore.redis.uri} set the client reads Redis;
 * without it, {@code flagstore.local.location} names a JSON flag document (local development and
 * tests). Immutable.
 *
 * @param enabled whether to configure a flag client at all
 * @param serviceName the service name shown to operators ({@code flagctl status}); default {@code
 *     spring.application.name}, else {@code unnamed-service}
 * @param startTimeout how long start-up waits for the first flag set
 * @param failFast whether start-up fails when no flag set arrived within the start timeout
 * @param usageInterval how often evaluated flags are recorded in Redis ({@code flagctl stale}); 0 turns
 *     it off
 * @param overrides flag key to value (text read per getter: {@code true}, a number, a string, JSON)
 *     that win over the source; for local runs
 * @param redis the Redis source
 * @param local the flag document used when no Redis URI is set
 * @param metrics cardinality of the meters
 * @param admin the optional {@code FlagAdmin} bean
 * @param openfeature registration of the OpenFeature provider
 */
@ConfigurationProperties("flagstore")
public record FlagStoreProperties(
        @DefaultValue("true") boolean enabled,
        String serviceName,
        @DefaultValue("5s") Duration startTimeout,
        @DefaultValue("false") boolean failFast,
        @DefaultValue("60s") Duration usageInterval,
        Map<String, String> overrides,
        @DefaultValue Redis redis,
        @DefaultValue Local local,
        @DefaultValue Metrics metrics,
        @DefaultValue Admin admin,
        @DefaultValue OpenFeature openfeature) {

    public FlagStoreProperties {
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    }

    /**
     * Where Redis is. Any URI {@link RedisOptions.Builder#uri(String)} takes: {@code redis://},
     * {@code rediss://} (TLS), {@code redis-sentinel://s1:26379,s2:26379#master}, {@code
     * redis-cluster://n1:7000,n2:7000}.
     *
     * @param uri the Redis URI; unset means no Redis (see {@code flagstore.local})
     * @param namespace the namespace (environment) to read
     * @param commandTimeout how long a Redis command may take
     * @param connectTimeout how long connecting may take
     * @param trustedCertificate a PEM file of CA certificates to trust for TLS, in addition to the JDK's
     * @param sentinelUser the user for sentinels that require authentication
     * @param sentinelPassword the password for sentinels that require authentication
     * @param backupFile a local file holding the last flag set, used at start when Redis is unreachable
     * @param instanceId this instance's id in the namespace's clients hash; default the service name
     *     plus a random suffix
     */
    public record Redis(
            String uri,
            @DefaultValue("default") String namespace,
            @DefaultValue("5s") Duration commandTimeout,
            @DefaultValue("5s") Duration connectTimeout,
            Path trustedCertificate,
            String sentinelUser,
            String sentinelPassword,
            Path backupFile,
            String instanceId) {

        /** The options these properties describe. */
        RedisOptions options() {
            RedisOptions.Builder builder = RedisOptions.builder()
                    .uri(uri)
                    .namespace(namespace)
                    .commandTimeout(commandTimeout)
                    .connectTimeout(connectTimeout);
            if (trustedCertificate != null) {
                builder.trustedCertificate(trustedCertificate);
            }
            if (sentinelUser != null || sentinelPassword != null) {
                builder.sentinelCredentials(sentinelUser, sentinelPassword);
            }
            return builder.build();
        }
    }

    /**
     * A JSON flag document ({@code {"flags":[...],"segments":[...]}}) used when no Redis URI is set.
     *
     * @param location a Spring resource location: {@code classpath:flags.json} (read once) or {@code
     *     file:flags.json} (reloaded when it changes, unless {@code watch} is false)
     * @param watch whether a file location is watched and reloaded
     */
    public record Local(String location, @DefaultValue("true") boolean watch) {}

    /**
     * Cardinality of the meters ({@link MetricsOptions}).
     *
     * @param maxTaggedFlags how many distinct flags get their own {@code flag} tag
     * @param variantTag whether {@code flagstore.evaluations} has a {@code variant} tag
     */
    public record Metrics(@DefaultValue("500") int maxTaggedFlags, @DefaultValue("true") boolean variantTag) {}

    /**
     * The {@code FlagAdmin} bean, for services that write flags themselves.
     *
     * @param enabled whether to connect a {@code FlagAdmin} (needs {@code flagstore.redis.uri})
     */
    public record Admin(@DefaultValue("false") boolean enabled) {}

    /**
     * The OpenFeature provider, registered with {@code OpenFeatureAPI} when the SDK and
     * flag-store-openfeature are on the classpath.
     *
     * @param enabled whether to register it
     * @param domain the OpenFeature domain to register it for; unset means the default provider
     */
    public record OpenFeature(@DefaultValue("true") boolean enabled, String domain) {}
}
