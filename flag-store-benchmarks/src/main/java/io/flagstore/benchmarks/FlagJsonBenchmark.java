package io.flagstore.benchmarks;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.FlagValidator;
import io.flagstore.redis.internal.FlagHashCodec;
import io.flagstore.redis.internal.FleetDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the JSON codec and validator per flag: what a full reload, a pub/sub message or a CLI apply
 * pays for each flag it reads, and the presence digest each flag held costs. "typical" is a string flag with targets, three rules (in, regex,
 * semver, numeric clauses) and a rollout, about 1.5 KB of JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FlagJsonBenchmark {
    static final String KILL_SWITCH = "{\"key\":\"payments-api\",\"enabled\":true}";
    static final String TYPICAL =
            """
            {"key": "checkout-flow", "type": "string", "enabled": true,
             "variants": {"classic": "classic", "one-page": "one-page", "express": "express"},
             "offVariant": "classic",
             "targets": {"one-page": ["user-1", "user-2", "user-3", "user-4", "user-5", "user-6", "user-7", "user-8"],
                         "express": ["user-9", "user-10", "user-11", "user-12"]},
             "rules": [
               {"id": "staff", "clauses": [{"attribute": "email", "op": "endsWith", "values": ["@example.com"]},
                                           {"attribute": "email", "op": "matches", "values": ["^[a-z]+\\\\.[a-z]+@"]}],
                "serve": "one-page"},
               {"id": "new-apps", "clauses": [{"attribute": "country", "op": "in", "values": ["NL", "BE", "DE", "FR"]},
                                              {"attribute": "appVersion", "op": "semverGt", "values": ["4.2.0"]},
                                              {"attribute": "age", "op": "gte", "values": [18]}],
                "serve": {"rollout": {"variants": [{"variant": "one-page", "weight": 50}, {"variant": "classic", "weight": 50}]}}},
               {"id": "beta", "clauses": [{"attribute": "plan", "op": "in", "values": ["beta", "enterprise"]}], "serve": "express"}
             ],
             "fallthrough": {"rollout": {"variants": [{"variant": "express", "weight": 12.5}, {"variant": "one-page", "weight": 37.5},
                                                      {"variant": "classic", "weight": 50}], "bucketBy": "orgId"}},
             "description": "The new checkout flow", "owner": "team-checkout", "tags": ["checkout", "team:checkout"],
             "temporary": true, "expiresAt": "2027-01-31", "createdAt": "2026-11-01T10:00:00Z",
             "updatedAt": "2026-11-20T09:30:00Z", "updatedBy": "alice", "version": 4211}
            """;

    private final Flag typical = FlagJson.read(TYPICAL);
    private final Map<String, String> typicalHash = FlagHashCodec.toFields(typical);

    @Benchmark
    public Flag readKillSwitch() {
        return FlagJson.read(KILL_SWITCH);
    }

    @Benchmark
    public Flag readTypical() {
        return FlagJson.read(TYPICAL);
    }

    @Benchmark
    public String writeTypical() {
        return FlagJson.write(typical);
    }

    @Benchmark
    public List<String> validateTypical() {
        return FlagValidator.problems(typical);
    }

    /** A flag as a source reads it from its Redis hash (each field's text), validated. */
    @Benchmark
    public Flag readTypicalHash() {
        return FlagHashCodec.fromFields(typicalHash);
    }

    /** The presence digest of one flag: every flag of a first load, every changed flag after. */
    @Benchmark
    public long digestTypical() {
        return FleetDigest.of(typical);
    }
}
