package io.flagstore.openfeature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.TrackingEventDetails;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.FatalError;
import dev.openfeature.sdk.exceptions.GeneralError;
import dev.openfeature.sdk.exceptions.ProviderNotReadyError;
import io.flagstore.core.ClientHealth;
import io.flagstore.core.ClientState;
import io.flagstore.core.ErrorKind;
import io.flagstore.core.EvaluationDetail;
import io.flagstore.core.FlagClient;
import io.flagstore.core.FlagSnapshot;
import io.flagstore.core.Reason;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagType;
import io.flagstore.core.spi.FlagSource;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An OpenFeature provider over a flag-store {@link FlagClient}: flags are evaluated locally against
 * the client's in-memory snapshot, so evaluations never wait for the network.
 *
 * <pre>{@code
 * FlagSource source = RedisFlagSource.builder()
 *         .options(RedisOptions.builder().uri("redis://localhost:6379").build())
 *         .serviceName("checkout")
 *         .build();
 * OpenFeatureAPI.getInstance().setProviderAndWait(FlagStoreProvider.builder().source(source).build());
 * Client flags = OpenFeatureAPI.getInstance().getClient();
 * boolean on = flags.getBooleanValue("new-checkout", false, new ImmutableContext("user-42"));
 * }</pre>
 *
 * <p>Ownership is explicit: {@link #of(FlagClient)} uses a client the application owns (and
 * closes); a provider built with {@link Builder#source(FlagSource)} creates its client in {@link
 * #initialize(EvaluationContext)} and closes it, and so the source, in {@link #shutdown()}.
 *
 * <p>Events: {@code PROVIDER_READY} when the client has flag data (again after being stale, or
 * when the first data arrives after {@link #initialize} gave up waiting), {@code
 * PROVIDER_CONFIGURATION_CHANGED} with the keys of the flags created, changed or deleted by each
 * applied write, {@code PROVIDER_STALE} while the source cannot reach its store or the store lost
 * its data, and {@code PROVIDER_ERROR} with {@code PROVIDER_FATAL} when the client is closed under
 * the provider.
 *
 * <p>Thread-safe. An instance serves one initialize/shutdown cycle; after {@link #shutdown()}
 * create a new one. {@code docs/openfeature.md} gives the mapping of types, reasons, error codes,
 * metadata and context attributes.
 */
public final class FlagStoreProvider extends EventProvider {
    /** The provider name reported by {@link #getMetadata()}. */
    public static final String NAME = "flag-store";

    private static final Metadata METADATA = () -> NAME;

    private final FlagSource source;
    private final Consumer<FlagClient.Builder> clientConfigurer;
    private final Object lifecycleLock = new Object();
    private volatile FlagClient client;
    private ClientWatcher watcher;
    private boolean shutDown;

    private FlagStoreProvider(Builder builder) {
        this.client = builder.client;
        this.source = builder.source;
        this.clientConfigurer = builder.clientConfigurer == null ? b -> {} : builder.clientConfigurer;
    }

    /**
     * A provider over a client the application owns: {@link #shutdown()} leaves it open. {@link
     * #initialize} waits up to {@link FlagClient#DEFAULT_START_TIMEOUT} for its first flag data.
     *
     * @param client the application's client, shared with the provider
     * @return a provider over {@code client}
     * @throws NullPointerException if {@code client} is null
     */
    public static FlagStoreProvider of(FlagClient client) {
        return builder().client(client).build();
    }

    /**
     * A builder; set exactly one of {@link Builder#client} and {@link Builder#source}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Metadata getMetadata() {
        return METADATA;
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        boolean fallback = defaultValue != null && defaultValue;
        return evaluate(key, defaultValue, ctx, null, (s, c) -> s.boolDetail(key, c, fallback), b -> b);
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, null, (s, c) -> s.stringDetail(key, c, defaultValue), v -> v);
    }

    /**
     * Serves number flags whose value is a whole number within the {@code int} range; any other
     * number is a {@code TYPE_MISMATCH} rather than a silently truncated value.
     */
    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        double fallback = defaultValue == null ? 0 : defaultValue;
        return evaluate(
                key,
                defaultValue,
                ctx,
                null,
                (s, c) -> s.numberDetail(key, c, fallback),
                d -> d == (int) d.doubleValue() ? d.intValue() : null);
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        double fallback = defaultValue == null ? 0 : defaultValue;
        return evaluate(key, defaultValue, ctx, null, (s, c) -> s.numberDetail(key, c, fallback), d -> d);
    }

    /**
     * Serves json flags, converted faithfully: objects to structures, arrays to lists, scalars to
     * scalar values. Flags of other types are a {@code TYPE_MISMATCH}, as for the other types (the
     * flag-store client itself would convert them).
     */
    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        return evaluate(
                key,
                defaultValue,
                ctx,
                FlagType.JSON,
                (s, c) -> s.jsonDetail(key, c, JsonNode.class, null),
                JsonValues::toValue);
    }

    /**
     * One evaluation against one snapshot, so the detail and the flag metadata belong together.
     *
     * @param onlyType the flag type this evaluation accepts, when the client's getter accepts more
     * @param convert the OpenFeature value for a served flag-store value; {@code null} if it does not
     *     fit the requested type
     */
    private <D, T> ProviderEvaluation<T> evaluate(
            String key,
            T defaultValue,
            EvaluationContext ctx,
            FlagType onlyType,
            BiFunction<FlagSnapshot, io.flagstore.core.EvaluationContext, EvaluationDetail<D>> evaluation,
            Function<D, T> convert) {
        FlagClient c = client;
        if (c == null) {
            return Results.error(
                    defaultValue,
                    ErrorCode.PROVIDER_NOT_READY,
                    "the provider has not been initialized",
                    ImmutableMetadata.EMPTY);
        }
        FlagSnapshot snapshot = c.snapshot();
        Flag flag = key == null ? null : snapshot.flag(key).orElse(null);
        if (flag != null && onlyType != null && flag.type() != onlyType) {
            EvaluationDetail<D> mismatch =
                    new EvaluationDetail<>(null, null, Reason.ERROR, -1, null, ErrorKind.TYPE_MISMATCH, flag.version());
            return Results.of(key, mismatch, defaultValue, defaultValue, flag);
        }
        EvaluationDetail<D> detail = evaluation.apply(snapshot, Contexts.toFlagStore(ctx));
        if (detail.variant() == null) {
            return Results.of(key, detail, defaultValue, defaultValue, flag);
        }
        T value = convert.apply(detail.value());
        if (value == null) {
            return Results.error(
                    defaultValue,
                    ErrorCode.TYPE_MISMATCH,
                    "flag '" + key + "' value " + detail.value() + " does not fit the requested type",
                    Results.metadata(detail, flag));
        }
        return Results.of(key, detail, value, defaultValue, flag);
    }

    /**
     * Records an OpenFeature tracking event ({@code Client.track}) as an experiment outcome: {@link
     * FlagClient#track(String, io.flagstore.core.EvaluationContext, double)} with the details'
     * value when they carry one, else {@link FlagClient#track(String,
     * io.flagstore.core.EvaluationContext)}. The event name is the metric name experiments are judged
     * on (docs/experiments.md). Ignored before initialization, without a targeting key, or without an
     * event name; never throws.
     */
    @Override
    public void track(String eventName, EvaluationContext context, TrackingEventDetails details) {
        FlagClient c = client;
        if (c == null || eventName == null || context == null || context.getTargetingKey() == null) {
            return;
        }
        io.flagstore.core.EvaluationContext ctx = Contexts.toFlagStore(context);
        Number value = details == null ? null : details.getValue().orElse(null);
        if (value != null) {
            c.track(eventName, ctx, value.doubleValue());
        } else {
            c.track(eventName, ctx);
        }
    }

    /**
     * Creates the client (when built from a source), subscribes to its changes and state, and waits
     * for flag data: the provider's own client up to its start timeout ({@link
     * FlagClient.Builder#startTimeout}, set through {@link Builder#configureClient}), an application's
     * client up to {@link FlagClient#DEFAULT_START_TIMEOUT}.
     *
     * @throws ProviderNotReadyError if no flag data arrived in time: OpenFeature puts the provider in
     *     its ERROR state; the client keeps trying and the provider emits {@code PROVIDER_READY} once
     *     data arrives
     * @throws FatalError if the application's client is closed
     * @throws GeneralError if the provider was shut down
     */
    @Override
    public void initialize(EvaluationContext evaluationContext) throws Exception {
        ClientWatcher w;
        Duration wait = FlagClient.DEFAULT_START_TIMEOUT;
        synchronized (lifecycleLock) {
            if (shutDown) {
                throw new GeneralError("this FlagStoreProvider was shut down; create a new one");
            }
            if (client == null) {
                FlagClient.Builder b = FlagClient.builder().source(source);
                clientConfigurer.accept(b);
                client = b.build(); // waits up to the client's start timeout
                wait = Duration.ZERO;
            }
            if (watcher == null) {
                watcher = ClientWatcher.start(client, this);
            }
            w = watcher;
        }
        ClientHealth health = w.awaitData(wait);
        if (health.state() == ClientState.INITIALIZING) {
            throw new ProviderNotReadyError("flag-store has received no flag data yet: "
                    + Objects.requireNonNullElse(health.message(), "no detail from the source"));
        }
        if (health.state() == ClientState.CLOSED) {
            throw new FatalError("the FlagClient is closed");
        }
    }

    /**
     * Stops watching the client and, when the provider created it, closes the client (and its
     * source). Idempotent.
     */
    @Override
    public void shutdown() {
        synchronized (lifecycleLock) {
            if (shutDown) {
                return;
            }
            shutDown = true;
            if (watcher != null) {
                watcher.close();
            }
            if (source != null && client != null) {
                client.close();
            }
        }
        super.shutdown();
    }

    /** Configures a {@link FlagStoreProvider}. Not thread-safe. */
    public static final class Builder {
        private FlagClient client;
        private FlagSource source;
        private Consumer<FlagClient.Builder> clientConfigurer;

        private Builder() {}

        /**
         * Uses a client the application owns and closes; the provider never closes it.
         *
         * @param client the application's client
         * @return this builder
         */
        public Builder client(FlagClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Makes the provider create a client reading from {@code source} in {@link
         * FlagStoreProvider#initialize} and own it: {@link FlagStoreProvider#shutdown()} closes the
         * client and the source.
         *
         * @param source where the provider's own client reads flags from
         * @return this builder
         */
        public Builder source(FlagSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Further settings (start timeout, metrics, listener executor, overrides) for the client the
         * provider creates from its {@link #source}; applied in {@link FlagStoreProvider#initialize}.
         *
         * @param configurer called with the client's builder before it builds
         * @return this builder
         */
        public Builder configureClient(Consumer<FlagClient.Builder> configurer) {
            this.clientConfigurer = Objects.requireNonNull(configurer, "configurer");
            return this;
        }

        /**
         * Builds the provider; nothing starts until OpenFeature initializes it.
         *
         * @return the provider
         * @throws IllegalStateException unless exactly one of {@link #client} and {@link #source} is
         *     set, or if {@link #configureClient} is combined with {@link #client}
         */
        public FlagStoreProvider build() {
            if ((client == null) == (source == null)) {
                throw new IllegalStateException(
                        "set exactly one of client(...) (the application's) and source(...) (the provider's own client)");
            }
            if (client != null && clientConfigurer != null) {
                throw new IllegalStateException(
                        "configureClient(...) applies only to the provider's own client, built with source(...)");
            }
            return new FlagStoreProvider(this);
        }
    }
}
