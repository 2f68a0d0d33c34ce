package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.StoreUnavailableException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.internal.BackupFile;
import io.flagstore.redis.testing.RecordingSink;
import io.flagstore.redis.testing.RedisServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** RedisFlagSource while Redis (with AOF, so data survives) is stopped and started again. */
class RedisFlagSourceOutageIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension().withAof();

    private SourceFixture fx;

    @BeforeEach
    void fixture() {
        fx = new SourceFixture(redis);
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    /** Retries an admin call until Redis answers again (the admin's connection reconnects). */
    private static <T> T whenReachable(Supplier<T> write) {
        return await().atMost(Duration.ofSeconds(10))
                .ignoreException(StoreUnavailableException.class)
                .until(write::get, r -> true);
    }

    @Test
    void redisDownMeansStaleWithTheSnapshotKeptThenValidAndConvergedWhenBack() {
        fx.admin().create(Flag.killSwitch("a"));
        fx.admin().create(Flag.killSwitch("b"));
        RecordingSink sink = fx.start(Duration.ofMillis(300));
        await().until(() -> sink.state() == SourceState.VALID);
        Map<String, Flag> before = sink.flags();

        redis.stop();

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.state() == SourceState.STALE);
        assertThat(sink.stateMessage()).contains("127.0.0.1");
        assertThat(sink.flags()).isEqualTo(before);
        assertThat(fx.meters.get("flagstore.source.connected").gauge().value()).isZero();

        redis.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.state() == SourceState.VALID);
        assertThat(sink.flags()).isEqualTo(before);
        assertThat(sink.inits()).isEqualTo(1); // caught up, never reloaded as if new
        whenReachable(() -> fx.admin().enable("a"));
        fx.awaitConverged(sink);
        assertThat(fx.meters.get("flagstore.source.connected").gauge().value()).isEqualTo(1);
    }

    @Test
    void writesMadeWhileTheSourceWasCutOffArriveAfterTheRestart() {
        RecordingSink sink = fx.start(SourceFixture.NEVER); // only the reconnect catch-up can do it
        await().until(() -> sink.state() == SourceState.VALID);

        // a write no subscriber hears, then a restart: the subscriber learns it only by catching up
        fx.raw.put(Flag.killSwitch("unheard").withEnabled(true), false);
        redis.restart();

        await().atMost(Duration.ofSeconds(10)).until(() -> sink.flag("unheard") != null);
        await().until(() -> sink.state() == SourceState.VALID);
        fx.awaitConverged(sink);
    }

    @Test
    void theBackupFileServesAtBootWhileRedisIsDown(@TempDir Path dir) throws Exception {
        Path backup = dir.resolve("flags-backup.json");
        fx.admin().create(Flag.killSwitch("a").withEnabled(true));
        fx.admin().create(Flag.killSwitch("b"));
        RecordingSink first = fx.start(b -> b.backupFile(backup));
        long v = fx.admin().disable("a").version();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> backup.toFile().exists()
                        && BackupFile.read(backup).data().version() == v);
        assertThat(BackupFile.read(backup).data().flags()).isEqualTo(first.flags());
        fx.close();
        fx = new SourceFixture(redis, fx.namespace);

        redis.stop();
        RecordingSink booted = new RecordingSink();
        AtomicReference<SourceState> stateAtInit = new AtomicReference<>();
        fx.build(b -> b.backupFile(backup)).start(new FlagSink() {
            @Override
            public void init(FlagData data) {
                stateAtInit.compareAndSet(null, booted.state());
                booted.init(data);
            }

            @Override
            public void apply(FlagUpdate update) {
                booted.apply(update);
            }

            @Override
            public void stateChanged(SourceState state, String message) {
                booted.stateChanged(state, message);
            }
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> booted.inits() == 1);
        assertThat(stateAtInit.get())
                .as("stale before the backup's flags are served")
                .isEqualTo(SourceState.STALE);
        assertThat(booted.state()).isEqualTo(SourceState.STALE);
        assertThat(booted.stateMessage()).contains("backup file");
        assertThat(booted.flags()).isEqualTo(first.flags());
        assertThat(booted.version()).isEqualTo(v);

        redis.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> booted.state() == SourceState.VALID);
        fx.awaitConverged(booted);
    }
}
