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
 * @param enabled Whether to configure a flag client at all.
 * @param serviceName Service name shown to operators (flagctl status). Default: spring.application.name,
 *     else unnamed-service.
 * @param startTimeout How long start-up waits for the first flag set.
 * @param failFast Whether start-up fails when no flag set arrived within the start timeout.
 * @param usageInterval How often the flags evaluated are recorded in Redis (for flagctl stale); 0 turns
 *     recording off.
 * @param overrides Flag key to a value that wins over the source (text, read per getter: true/false, a
 *     number, a string, JSON). For local runs.
 * @param redis The Redis source.
 * @param local The flag document used when no Redis URI is set.
 * @param metrics Cardinality of the meters.
 * @param admin The optional FlagAdmin bean.
 * @param openfeature Registration of the OpenFeature provider.
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
     * @param uri Redis URI: redis://, rediss:// (TLS), redis-sentinel://s1:26379,s2:26379#master or
     *     redis-cluster://n1:7000,n2:7000. Unset means no Redis (see flagstore.local).
     * @param namespace Namespace (environment) to read.
     * @param commandTimeout How long a Redis command may take.
     * @param connectTimeout How long connecting may take.
     * @param trustedCertificate PEM file of CA certificates to trust for TLS, in addition to the JDK's.
     * @param sentinelUser User for sentinels that require authentication.
     * @param sentinelPassword Password for sentinels that require authentication.
     * @param backupFile Local file holding the last flag set, used at start when Redis is unreachable.
     * @param instanceId This instance's id in the namespace's clients hash. Default: the service name
     *     plus a random suffix.
     * @param presenceKeyFile PEM file of the service's Ed25519 private key that presence entries are
     *     signed with, so that operators can vouch for it (flagctl trust add). Default: a new key at
     *     every start, trusted on first sight.
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
            String instanceId,
            Path presenceKeyFile) {

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
     * @param location Resource location of a JSON flag document: classpath:flags.json (read once) or
     *     file:flags.json (reloaded when it changes, unless watch is false).
     * @param watch Whether a file location is watched and reloaded when it changes.
     */
    public record Local(String location, @DefaultValue("true") boolean watch) {}

    /**
     * Cardinality of the meters ({@link MetricsOptions}).
     *
     * @param maxTaggedFlags How many distinct flags get their own flag tag on the meters.
     * @param variantTag Whether flagstore.evaluations has a variant tag.
     */
    public record Metrics(@DefaultValue("500") int maxTaggedFlags, @DefaultValue("true") boolean variantTag) {}

    /**
     * The {@code FlagAdmin} bean, for services that write flags themselves.
     *
     * @param enabled Whether to connect a FlagAdmin bean (needs flagstore.redis.uri).
     */
    public record Admin(@DefaultValue("false") boolean enabled) {}

    /**
     * The OpenFeature provider, registered with {@code OpenFeatureAPI} when the SDK and
     * flag-store-openfeature are on the classpath.
     *
     * @param enabled Whether to register the provider.
     * @param domain OpenFeature domain to register the provider for. Unset means the default provider.
     */
    public record OpenFeature(@DefaultValue("true") boolean enabled, String domain) {}
}
