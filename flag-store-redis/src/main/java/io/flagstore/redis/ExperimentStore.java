package io.flagstore.redis;

import io.flagstore.core.model.Experiment;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.internal.ExperimentKeys;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.internal.RedisConnections;
import io.flagstore.redis.internal.RedisSupport;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads what Redis counted for experiments (docs/experiments.md), for {@code flagctl experiment
 * results} and dashboards. Needs {@code PFCOUNT} and {@code HGETALL} on the namespace: the admin
 * role (docs/operations.md).
 *
 * <pre>{@code
 * try (ExperimentStore store = ExperimentStore.connect(options)) {
 *     ExperimentCounts counts = store.counts(flag, Instant.now());
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ExperimentStore implements AutoCloseable {
    private static final String ROLE = "admin";

    private final RedisOptions options;
    private final ExperimentKeys keys;
    private final RedisConnections client;
    private final RedisConnections.Commands commands;

    private ExperimentStore(RedisOptions options, RedisConnections client, RedisConnections.Commands commands) {
        this.options = options;
        this.keys = new ExperimentKeys(KeySchema.of(options.namespace()));
        this.client = client;
        this.commands = commands;
    }

    /**
     * Connects to Redis.
     *
     * @throws io.flagstore.core.StoreUnavailableException if Redis cannot be reached or refuses
     */
    public static ExperimentStore connect(RedisOptions options) {
        Objects.requireNonNull(options, "options");
        RedisConnections client = RedisConnections.create(
                options, null, b -> b.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS));
        try {
            return new ExperimentStore(options, client, client.connect());
        } catch (RedisException e) {
            client.close();
            throw RedisSupport.translate(e, "connect", options, ROLE);
        }
    }

    /**
     * The counts of {@code flag}'s experiment run, over the days from its start to its stop (or
     * {@code now} while it runs): unique counts are unions over those days, so a unit exposed on
     * several days counts once.
     *
     * @throws IllegalArgumentException if the flag has no experiment on a rollout
     * @throws io.flagstore.core.StoreUnavailableException if Redis cannot be reached or refuses
     */
    public ExperimentCounts counts(Flag flag, Instant now) {
        Experiment experiment = flag.experiment();
        Rollout rollout = flag.experimentRollout();
        if (experiment == null || rollout == null) {
            throw new IllegalArgumentException("flag '" + flag.key() + "' has no experiment");
        }
        Instant until = experiment.stopAt() != null && experiment.stopAt().isBefore(now) ? experiment.stopAt() : now;
        List<String> days = ExperimentKeys.days(
                experiment.startAt(), until.isBefore(experiment.startAt()) ? experiment.startAt() : until);
        List<String> variants =
                rollout.variants().stream().map(WeightedVariant::variant).toList();
        Instant run = experiment.startAt();
        try {
            RedisClusterCommands<String, String> redis = commands.sync();
            Map<String, Long> exposed = new LinkedHashMap<>();
            for (String variant : variants) {
                exposed.put(
                        variant,
                        redis.pfcount(days.stream()
                                .map(day -> keys.exposed(flag.key(), run, variant, day))
                                .toArray(String[]::new)));
            }
            Map<String, String> sums = redis.hgetall(keys.sums(flag.key(), run));
            Map<String, ExperimentCounts.MetricCounts> metrics = new LinkedHashMap<>();
            for (String metric : experiment.metrics()) {
                Map<String, Long> converted = new LinkedHashMap<>();
                Map<String, Long> outcomes = new LinkedHashMap<>();
                Map<String, Double> values = new LinkedHashMap<>();
                for (String variant : variants) {
                    converted.put(
                            variant,
                            redis.pfcount(days.stream()
                                    .map(day -> keys.converted(flag.key(), run, metric, variant, day))
                                    .toArray(String[]::new)));
                    outcomes.put(variant, Math.round(number(sums.get(ExperimentKeys.countField(metric, variant)))));
                    values.put(variant, number(sums.get(ExperimentKeys.sumField(metric, variant))));
                }
                metrics.put(metric, new ExperimentCounts.MetricCounts(converted, outcomes, values));
            }
            return new ExperimentCounts(flag.key(), run, exposed, metrics);
        } catch (RedisException e) {
            throw RedisSupport.translate(e, "PFCOUNT", options, ROLE);
        }
    }

    private static double number(String text) {
        if (text == null) {
            return 0;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return 0; // a hand-edited field: count nothing rather than fail the report
        }
    }

    @Override
    public void close() {
        commands.close();
        client.close();
    }

    @Override
    public String toString() {
        return "ExperimentStore[" + options.namespace() + "]";
    }
}
