package io.flagstore.core.metrics;

import io.flagstore.core.ClientState;
import io.flagstore.core.FlagClient;
import io.flagstore.core.FlagSnapshot;
import io.flagstore.core.ListenerRegistration;
import io.flagstore.core.model.Flag;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The client's gauges and update counter (docs/metrics.md): {@code flagstore.flags}, {@code
 * flagstore.snapshot.version}, {@code flagstore.last.update.age}, {@code flagstore.updates}, {@code
 * flagstore.client.state} and, per flag, {@code flagstore.flag.enabled} and {@code
 * flagstore.flag.version}. {@link FlagClient.Builder#meterRegistry} binds it together with the
 * evaluation counters; bind it yourself only for a client built without a registry (it then
 * records no evaluations).
 *
 * <p>Per-flag gauges follow the flag set: added when a flag appears, removed when it is deleted,
 * for at most {@link MetricsOptions#maxTaggedFlags()} flags (the first in key order). Gauges read
 * the client when scraped and hold it weakly.
 *
 * <p>Thread-safe.
 */
public final class FlagStoreMetrics implements MeterBinder, AutoCloseable {
    private final FlagClient client;
    private final MetricsOptions options;
    private final List<Binding> bindings = new CopyOnWriteArrayList<>();

    /**
     * Metrics of {@code client}.
     *
     * @param client the client observed
     * @param options the cardinality cap for per-flag gauges
     */
    public FlagStoreMetrics(FlagClient client, MetricsOptions options) {
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Binding binding = new Binding(registry);
        bindings.add(binding);
        binding.add("flagstore.flags", Tags.empty(), tags -> Gauge.builder(
                        "flagstore.flags", client, c -> c.snapshot().size())
                .description("Flags in the flag set served")
                .register(registry));
        binding.add("flagstore.snapshot.version", Tags.empty(), tags -> Gauge.builder(
                        "flagstore.snapshot.version", client, c -> c.snapshot().version())
                .description("Namespace version of the flag set served")
                .register(registry));
        binding.add("flagstore.last.update.age", Tags.empty(), tags -> TimeGauge.builder(
                        "flagstore.last.update.age",
                        client,
                        TimeUnit.MILLISECONDS,
                        c -> millis(c.health().sinceLastUpdate()))
                .description("Time since the source last delivered flags or confirmed them current (NaN: never)")
                .register(registry));
        binding.add("flagstore.updates", Tags.empty(), tags -> FunctionCounter.builder(
                        "flagstore.updates", client, c -> c.health().updatesReceived())
                .description("Full flag sets and incremental updates received from the source")
                .register(registry));
        for (ClientState state : ClientState.values()) {
            binding.add(
                    "flagstore.client.state",
                    Tags.of("state", state.name().toLowerCase(Locale.ROOT)),
                    tags -> Gauge.builder(
                                    "flagstore.client.state",
                                    client,
                                    c -> c.health().state() == state ? 1 : 0)
                            .description("1 for the client's current state, 0 for the others")
                            .tags(tags)
                            .register(registry));
        }
        binding.listener = client.onChange(event -> binding.flagChanged(event.key()));
        binding.syncFlags();
    }

    /**
     * Removes the meters this binder registered (the client's gauges), so a client built later can
     * register its own; the evaluation counters stay, they are cumulative and shared. {@link
     * FlagClient#close()} calls it for the metrics it bound. Idempotent.
     */
    @Override
    public void close() {
        bindings.forEach(Binding::close);
        bindings.clear();
    }

    private static double millis(Duration duration) {
        return duration == null ? Double.NaN : duration.toMillis();
    }

    /** The meters registered on one registry; per-flag gauges follow the flag set, up to the cap. */
    private final class Binding {
        private final MeterRegistry registry;
        private final List<Meter> meters = new ArrayList<>();
        private final Map<String, List<Meter>> perFlag = new HashMap<>();
        private ListenerRegistration listener;
        private boolean closed;

        Binding(MeterRegistry registry) {
            this.registry = registry;
        }

        synchronized void add(String name, Tags tags, Function<Tags, Meter> register) {
            meters.addAll(owned(name, tags, register));
        }

        /**
         * Registers a meter unless one with this name and tags exists, which belongs to another client
         * on the registry (Micrometer would hand us that one): only our own are removed on close.
         */
        private List<Meter> owned(String name, Tags tags, Function<Tags, Meter> register) {
            return registry.find(name).tags(tags).meter() == null ? List.of(register.apply(tags)) : List.of();
        }

        /**
         * Follows one flag's change in O(1), so an update costs the same with 10 or 10,000 flags:
         * only a removal that frees a slot under the cap rescans the flag set to fill it in key order.
         */
        synchronized void flagChanged(String key) {
            if (closed) {
                return;
            }
            FlagSnapshot snapshot = client.snapshot();
            if (snapshot.flag(key).isPresent()) {
                if (!perFlag.containsKey(key) && perFlag.size() < options.maxTaggedFlags()) {
                    if (snapshot.size() <= options.maxTaggedFlags()) {
                        perFlag.put(key, registerFlag(key)); // every flag fits: order does not matter
                    } else {
                        syncFlags();
                    }
                }
            } else {
                List<Meter> gauges = perFlag.remove(key);
                if (gauges != null) {
                    gauges.forEach(registry::remove);
                    if (snapshot.size() > perFlag.size()) {
                        syncFlags();
                    }
                }
            }
        }

        synchronized void syncFlags() {
            if (closed) {
                return;
            }
            Map<String, Flag> flags = client.snapshot().flags();
            perFlag.entrySet().removeIf(entry -> {
                if (flags.containsKey(entry.getKey())) {
                    return false;
                }
                entry.getValue().forEach(registry::remove);
                return true;
            });
            for (String key : new TreeSet<>(flags.keySet())) {
                if (perFlag.size() >= options.maxTaggedFlags()) {
                    break;
                }
                perFlag.computeIfAbsent(key, this::registerFlag);
            }
        }

        private List<Meter> registerFlag(String key) {
            List<Meter> gauges = new ArrayList<>(flagGauge(
                    key,
                    "flagstore.flag.enabled",
                    "1 while the flag is enabled, 0 while it is off",
                    f -> f.enabled() ? 1 : 0));
            gauges.addAll(flagGauge(key, "flagstore.flag.version", "Version of the flag's last write", Flag::version));
            return gauges;
        }

        private List<Meter> flagGauge(String key, String name, String description, ToDoubleFunction<Flag> value) {
            return owned(name, Tags.of("flag", key), tags -> Gauge.builder(name, client, c -> c.snapshot()
                            .flag(key)
                            .map(value::applyAsDouble)
                            .orElse(Double.NaN))
                    .description(description)
                    .tags(tags)
                    .register(registry));
        }

        synchronized void close() {
            closed = true;
            if (listener != null) {
                listener.close();
            }
            meters.forEach(registry::remove);
            perFlag.values().forEach(gauges -> gauges.forEach(registry::remove));
            perFlag.clear();
        }
    }
}
