package io.flagstore.openfeature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.GeneralError;
import dev.openfeature.sdk.exceptions.ProviderNotReadyError;
import io.flagstore.core.ClientState;
import io.flagstore.core.EvaluationDetail;
import io.flagstore.core.FlagClient;
import io.flagstore.core.model.Flag;
import io.flagstore.core.spi.FlagSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An OpenFeature provider over a flag-store {@link FlagClient}: flags are evaluated locally against
 * the client's in-memory snapshot, so evaluations never block on the network.
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
 * <p>Ownership is explicit: {@link #of(FlagClient)} uses a client the application owns (and closes);
 * a provider built with {@link Builder#source(FlagSource)} creates its client in {@link
 * #initialize(EvaluationContext)} and closes it (and so the source) in {@link #shutdown()}.
 *
 * <p>Events: {@code PROVIDER_READY} when the client has flag data (again after being stale), {@code
 * PROVIDER_CONFIGURATION_CHANGED} with the changed flag keys after every applied change, {@code
 * PROVIDER_STALE} while the source cannot reach its store (or the store lost its data), {@code
 * PROVIDER_ERROR} (fatal) when the client is closed under the provider.
 *
 * <p>Thread-safe. A provider instance serves one initialize/shutdown cycle; after {@link
 * #shutdown()} create a new one. See {@code docs/openfeature.md} for the mapping of reasons, error
 * codes, metadata and context attributes.
 */
public final class FlagStoreProvider extends EventProvider {
    /** The provider name reported in {@link #getMetadata()}. */
    public static final String NAME = "flag-store";
    /** How long {@link #initialize} waits for the first flag data by default. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(5);

    private static final Metadata METADATA = () -> NAME;

    private final FlagSource source;
    private final Consumer<FlagClient.Builder> clientConfigurer;
    private final Duration startTimeout;
    private final Object lifecycleLock = new Object();
    private final List<AutoCloseable> registrations = new ArrayList<>();
    private volatile FlagClient client;
    private boolean shutDown;

    private FlagStoreProvider(Builder builder) {
        this.client = builder.client;
        this.source = builder.source;
        this.clientConfigurer = builder.clientConfigurer;
        this.startTimeout = builder.startTimeout;
    }

    /**
     * A provider over a client the application owns: {@link #shutdown()} leaves it open. {@link
     * #initialize} waits up to {@link #DEFAULT_START_TIMEOUT} for it to receive flag data.
     *
     * @throws NullPointerException if {@code client} is null
     */
    public static FlagStoreProvider of(FlagClient client) {
        return builder().client(client).build();
    }

    /** A builder; set exactly one of {@link Builder#client} and {@link Builder#source}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Metadata getMetadata() {
        return METADATA;
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        EvaluationDetail<Boolean> detail =
                client.boolDetail(key, Contexts.toFlagStore(ctx), defaultValue != null && defaultValue);
        return Results.of(key, detail, detail.value(), defaultValue, flagOf(key, detail));
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        EvaluationDetail<String> detail = client.stringDetail(key, Contexts.toFlagStore(ctx), defaultValue);
        return Results.of(key, detail, detail.value(), defaultValue, flagOf(key, detail));
    }

    /**
     * Serves number flags whose value is a whole number within the {@code int} range; any other
     * number is a {@code TYPE_MISMATCH} rather than a silently truncated value.
     */
    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        EvaluationDetail<Double> detail = numberDetail(key, defaultValue, ctx);
        Flag flag = flagOf(key, detail);
        if (detail.variant() != null) {
            double value = detail.value();
            if (value != Math.rint(value) || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                return Results.error(
                        defaultValue,
                        ErrorCode.TYPE_MISMATCH,
                        "flag '" + key + "' value " + value + " is not an integer",
                        Results.metadata(detail, flag));
            }
            return Results.of(key, detail, (int) value, defaultValue, flag);
        }
        return Results.of(key, detail, defaultValue, defaultValue, flag);
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        EvaluationDetail<Double> detail = numberDetail(key, defaultValue, ctx);
        return Results.of(key, detail, detail.value(), defaultValue, flagOf(key, detail));
    }

    /**
     * Serves json flags as structures, lists or scalars, faithfully converted (see {@code
     * docs/openfeature.md}); flags of other types are a {@code TYPE_MISMATCH}.
     */
    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        EvaluationDetail<JsonNode> detail = client.jsonDetail(key, Contexts.toFlagStore(ctx), JsonNode.class, null);
        Value value = detail.variant() == null || detail.value() == null ? defaultValue : JsonValues.toValue(detail.value());
        return Results.of(key, detail, value, defaultValue, flagOf(key, detail));
    }

    private EvaluationDetail<Double> numberDetail(String key, Number defaultValue, EvaluationContext ctx) {
        return client.numberDetail(key, Contexts.toFlagStore(ctx), defaultValue == null ? 0 : defaultValue.doubleValue());
    }

    /** The flag just evaluated, for metadata; null when gone or changed since. */
    private Flag flagOf(String key, EvaluationDetail<?> detail) {
        Flag flag = client.snapshot().flag(key);
        return flag != null && flag.version() == detail.flagVersion() ? flag : null;
    }

    /**
     * Creates the client (when built from a source), subscribes to its changes and state, and waits
     * up to the start timeout for flag data.
     *
     * @throws ProviderNotReadyError if no flag data arrived in time; the provider is then in the
     *     OpenFeature ERROR state, keeps waiting, and emits {@code PROVIDER_READY} once data arrives
     */
    @Override
    public void initialize(EvaluationContext evaluationContext) throws Exception {
        synchronized (lifecycleLock) {
            if (shutDown) {
                throw new GeneralError("this FlagStoreProvider was shut down; create a new one");
            }
            if (client == null) {
                FlagClient.Builder b = FlagClient.builder().source(source).startTimeout(startTimeout);
                clientConfigurer.accept(b);
                client = b.build();
            }
            // TODO adapt to the client's listener API
        }
    }

    /**
     * Closes the listener registrations and, when the provider created the client, the client.
     * Idempotent.
     */
    @Override
    public void shutdown() {
        synchronized (lifecycleLock) {
            if (shutDown) {
                return;
            }
            shutDown = true;
            for (AutoCloseable registration : registrations) {
                try {
                    registration.close();
                } catch (Exception e) {
                    // A registration's close only removes a listener; nothing to recover.
                }
            }
            registrations.clear();
            if (source != null && client != null) {
                client.close();
            }
        }
        super.shutdown();
    }

    /**
     * Configures a {@link FlagStoreProvider}. Not thread-safe.
     */
    public static final class Builder {
        private FlagClient client;
        private FlagSource source;
        private Consumer<FlagClient.Builder> clientConfigurer = b -> {};
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder() {}

        /** Uses a client the application owns; the provider never closes it. */
        public Builder client(FlagClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Makes the provider create (in {@link FlagStoreProvider#initialize}) and own a client
         * reading from {@code source}; {@link FlagStoreProvider#shutdown()} closes both.
         */
        public Builder source(FlagSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Further settings for the client the provider creates from its source (metrics, listener
         * executor, overrides); called in {@link FlagStoreProvider#initialize}. Only with {@link
         * #source}.
         */
        public Builder configureClient(Consumer<FlagClient.Builder> configurer) {
            this.clientConfigurer = Objects.requireNonNull(configurer, "configurer");
            return this;
        }

        /**
         * How long {@link FlagStoreProvider#initialize} waits for the first flag data; default {@link
         * #DEFAULT_START_TIMEOUT}. Zero means do not wait.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder startTimeout(Duration startTimeout) {
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (startTimeout.isNegative()) {
                throw new IllegalArgumentException("startTimeout must not be negative: " + startTimeout);
            }
            this.startTimeout = startTimeout;
            return this;
        }

        /**
         * Builds the provider; nothing is started until OpenFeature initializes it.
         *
         * @throws IllegalStateException unless exactly one of client and source is set, or when
         *     {@link #configureClient} is combined with {@link #client}
         */
        public FlagStoreProvider build() {
            if ((client == null) == (source == null)) {
                throw new IllegalStateException("set exactly one of client(...) (shared) and source(...) (owned)");
            }
            return new FlagStoreProvider(this);
        }
    }
}
