package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import io.flagstore.core.model.Experiment;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.core.spi.Exposure;
import io.flagstore.core.spi.Outcome;
import io.flagstore.redis.testing.DocumentedAcl;
import io.flagstore.redis.testing.DocumentedAcl.Role;
import io.flagstore.redis.testing.RedisClusterExtension;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Experiment counting in a real three-master Redis Cluster with the documented roles: the service
 * writes its pipelined PFADDs and HINCRBYFLOATs to the namespace's slot, and the counts are read
 * back with multi-key PFCOUNT unions over the run's days.
 */
class ExperimentClusterIT {
    @RegisterExtension
    static RedisClusterExtension cluster = new RedisClusterExtension();

    @Test
    void servicesCountAndAdminsReadBackInACluster() {
        String namespace = cluster.uniqueNamespace();
        String serviceUri = DocumentedAcl.create(cluster, Role.SERVICE, namespace, "svc-" + namespace, "service-pw");
        String adminUri = DocumentedAcl.create(cluster, Role.ADMIN, namespace, "adm-" + namespace, "admin-pw");
        RedisOptions admin =
                RedisOptions.builder().uri(adminUri).namespace(namespace).build();
        RedisOptions service =
                RedisOptions.builder().uri(serviceUri).namespace(namespace).build();
        Instant start = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Flag flag = Flag.booleanFlag("new-checkout")
                .enabled(true)
                .fallthrough(Serve.rollout(new Rollout(
                        List.of(new WeightedVariant(Flag.OFF, 50), new WeightedVariant(Flag.ON, 50)), null)))
                .experiment(new Experiment(Flag.OFF, null, List.of("checkout.completed"), null, start, null))
                .build();
        try (FlagAdmin flags = FlagAdmin.connect(admin);
                RedisFlagSource sink =
                        RedisFlagSource.builder().options(service).build();
                ExperimentStore store = ExperimentStore.connect(admin)) {
            flags.create(flag);
            List<Exposure> exposures = new ArrayList<>();
            List<Outcome> outcomes = new ArrayList<>();
            for (int day = 0; day < 3; day++) {
                Instant at = start.plus(day, ChronoUnit.DAYS);
                for (int i = 0; i < 1_000; i++) {
                    // the same 1,000 units every day: the union over the days counts each once
                    String variant = i % 2 == 0 ? Flag.ON : Flag.OFF;
                    exposures.add(new Exposure(flag.key(), variant, "u" + i, "u" + i, start, at));
                    if (i % 10 == 0) {
                        outcomes.add(new Outcome("checkout.completed", flag.key(), variant, "u" + i, start, 2.0, at));
                    }
                }
            }
            sink.exposed(exposures);
            sink.converted(outcomes);

            ExperimentCounts counts = store.counts(flags.get(flag.key()).orElseThrow(), Instant.now());
            assertThat((double) counts.exposed().get(Flag.ON)).isCloseTo(500, withPercentage(3));
            assertThat((double) counts.exposed().get(Flag.OFF)).isCloseTo(500, withPercentage(3));
            ExperimentCounts.MetricCounts m = counts.metrics().get("checkout.completed");
            assertThat((double) m.converted().get(Flag.ON)).isCloseTo(100, withPercentage(3));
            assertThat(m.converted().get(Flag.OFF)).isZero();
            assertThat(m.outcomes().get(Flag.ON)).isEqualTo(300L);
            assertThat(m.valueSums().get(Flag.ON)).isEqualTo(600.0);
        }
    }
}
