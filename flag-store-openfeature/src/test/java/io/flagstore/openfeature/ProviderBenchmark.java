package io.flagstore.openfeature;

import static io.flagstore.openfeature.TestFlags.clause;
import static io.flagstore.openfeature.TestFlags.jsonFlag;
import static io.flagstore.openfeature.TestFlags.stringFlag;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Value;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Rule;
import io.flagstore.core.model.Serve;
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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What evaluating through OpenFeature costs over calling the {@link FlagClient} directly: the same
 * flags and context, once each way. Run as docs/benchmarks.md says.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProviderBenchmark {
    private FlagClient flagClient;
    private OpenFeatureAPI api;
    private Client client;
    private FlagStoreProvider provider;
    private io.flagstore.core.EvaluationContext flagStoreContext;
    private EvaluationContext openFeatureContext;
    private Value defaultConfig;

    @Setup
    public void setUp() {
        flagClient = FlagClient.builder()
                .source(InMemoryFlagSource.of(
                        Flag.killSwitch("kill"),
                        stringFlag("theme")
                                .rule(new Rule(
                                        "de", null, List.of(clause("country", Operator.IN, "DE")), Serve.variant("b")))
                                .build(),
                        jsonFlag("config", "{\"retries\":3,\"hosts\":[\"a\",\"b\"],\"tls\":{\"on\":true}}")))
                .build();
        api = OpenFeatureAPI.createIsolated();
        provider = FlagStoreProvider.of(flagClient);
        api.setProviderAndWait(provider);
        client = api.getClient();
        flagStoreContext = io.flagstore.core.EvaluationContext.builder("user-42")
                .set("country", "DE")
                .set("plan", "pro")
                .build();
        openFeatureContext =
                new ImmutableContext("user-42", Map.of("country", new Value("DE"), "plan", new Value("pro")));
        defaultConfig = new Value();
    }

    @TearDown
    public void tearDown() {
        api.shutdown();
        flagClient.close();
    }

    @Benchmark
    public boolean flagClientBoolean() {
        return flagClient.boolValue("kill", flagStoreContext, false);
    }

    @Benchmark
    public boolean openFeatureBoolean() {
        return client.getBooleanValue("kill", false, openFeatureContext);
    }

    /** The provider alone, without the SDK's hooks and context layering around it. */
    @Benchmark
    public ProviderEvaluation<Boolean> providerBoolean() {
        return provider.getBooleanEvaluation("kill", false, openFeatureContext);
    }

    /** The part of {@link #providerBoolean} that maps the context. */
    @Benchmark
    public io.flagstore.core.EvaluationContext contextMapping() {
        return Contexts.toFlagStore(openFeatureContext);
    }

    @Benchmark
    public String flagClientStringRuleMatch() {
        return flagClient.stringValue("theme", flagStoreContext, "x");
    }

    @Benchmark
    public FlagEvaluationDetails<String> openFeatureStringDetailsRuleMatch() {
        return client.getStringDetails("theme", "x", openFeatureContext);
    }

    @Benchmark
    public Value openFeatureObject() {
        return client.getObjectValue("config", defaultConfig, openFeatureContext);
    }
}
