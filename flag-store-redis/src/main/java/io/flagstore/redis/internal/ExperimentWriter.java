package io.flagstore.redis.internal;

import io.flagstore.core.spi.Exposure;
import io.flagstore.core.spi.Outcome;
import io.flagstore.redis.RedisOptions;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Writes experiment exposures and outcomes to Redis with add-only commands the service role may run
 * on the {@code exp:} keys (docs/operations.md): {@code PFADD} of units into per-day HyperLogLogs,
 * {@code HINCRBYFLOAT} of counts and value sums, {@code XADD} to the capped raw stream. One batch is
 * pipelined and awaited (bounded by the command timeout), so a flush costs about one round trip.
 *
 * <p>Connects on first use, on its own connection (never the source's, so experiment traffic cannot
 * delay flag changes), and reconnects on its own. Used by one thread at a time (the client's
 * experiment thread); {@link #close()} may come from another.
 */
public final class ExperimentWriter implements AutoCloseable {
    private final RedisOptions options;
    private final ExperimentKeys keys;
    private RedisConnections client;
    private RedisConnections.Commands commands;
    private boolean closed;

    public ExperimentWriter(RedisOptions options) {
        this.options = options;
        this.keys = new ExperimentKeys(KeySchema.of(options.namespace()));
    }

    /** Adds each exposure's unit to its (flag, run, variant, day) HyperLogLog. */
    public void exposed(List<Exposure> exposures) {
        Map<String, Set<String>> units = new LinkedHashMap<>();
        for (Exposure e : exposures) {
            units.computeIfAbsent(
                            keys.exposed(e.flagKey(), e.run(), e.variant(), ExperimentKeys.day(e.at())),
                            k -> new LinkedHashSet<>())
                    .add(e.unit());
        }
        run("PFADD", redis -> {
            List<RedisFuture<?>> futures = new ArrayList<>();
            units.forEach((key, members) -> futures.add(redis.pfadd(key, members.toArray(String[]::new))));
            return futures;
        });
    }

    /**
     * Adds each outcome's unit to its (flag, run, metric, variant, day) HyperLogLog, and its count and
     * value to the run's sums.
     */
    public void converted(List<Outcome> outcomes) {
        Map<String, Set<String>> units = new LinkedHashMap<>();
        Map<String, Map<String, Double>> sums = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            units.computeIfAbsent(
                            keys.converted(o.flagKey(), o.run(), o.metric(), o.variant(), ExperimentKeys.day(o.at())),
                            k -> new LinkedHashSet<>())
                    .add(o.unit());
            Map<String, Double> fields =
                    sums.computeIfAbsent(keys.sums(o.flagKey(), o.run()), k -> new LinkedHashMap<>());
            fields.merge(ExperimentKeys.countField(o.metric(), o.variant()), 1.0, Double::sum);
            if (o.value() != null) {
                fields.merge(ExperimentKeys.sumField(o.metric(), o.variant()), o.value(), Double::sum);
            }
        }
        run("PFADD/HINCRBYFLOAT", redis -> {
            List<RedisFuture<?>> futures = new ArrayList<>();
            units.forEach((key, members) -> futures.add(redis.pfadd(key, members.toArray(String[]::new))));
            sums.forEach(
                    (key, fields) -> fields.forEach((field, by) -> futures.add(redis.hincrbyfloat(key, field, by))));
            return futures;
        });
    }

    /** Appends the exposures to the capped raw stream, trimming it to about {@code maxLength} entries. */
    public void append(List<Exposure> exposures, long maxLength) {
        XAddArgs trim = new XAddArgs().maxlen(maxLength).approximateTrimming();
        run("XADD", redis -> {
            List<RedisFuture<?>> futures = new ArrayList<>();
            for (Exposure e : exposures) {
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("flag", e.flagKey());
                fields.put("variant", e.variant());
                fields.put("unit", e.unit());
                fields.put("context", e.contextKey());
                fields.put("run", e.run().toString());
                fields.put("at", e.at().toString());
                futures.add(redis.xadd(keys.exposureStream(), trim, fields));
            }
            return futures;
        });
    }

    private interface Batch {
        List<RedisFuture<?>> send(RedisClusterAsyncCommands<String, String> redis);
    }

    private synchronized void run(String what, Batch batch) {
        if (closed) {
            return;
        }
        try {
            if (commands == null || !commands.isOpen()) {
                connect();
            }
            List<RedisFuture<?>> futures = batch.send(commands.async());
            long timeout = options.commandTimeout().toMillis();
            if (!LettuceFutures.awaitAll(timeout, TimeUnit.MILLISECONDS, futures.toArray(RedisFuture[]::new))) {
                throw new RedisException(what + " of experiment counts did not complete within " + timeout + " ms");
            }
        } catch (RedisException e) {
            throw RedisSupport.translate(e, what, options, "service");
        }
    }

    private void connect() {
        if (client == null) {
            ClientResources resources = SharedResources.acquire();
            try {
                client = RedisConnections.create(options, resources, b -> b.autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS));
            } catch (RuntimeException e) {
                SharedResources.release();
                throw e;
            }
        }
        commands = client.connect();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (commands != null) {
            commands.close();
        }
        if (client != null) {
            client.close();
            SharedResources.release();
        }
    }
}
