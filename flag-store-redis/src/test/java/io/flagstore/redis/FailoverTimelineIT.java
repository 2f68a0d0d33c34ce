package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.model.Flag;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.RecordingSink;
import io.flagstore.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a source finds after a reconnect when Redis is "another node" (docs/operations.md,
 * "Sentinel"), made deterministic on one server: the namespace's keys are swapped for a copy of an
 * earlier or diverging state in the same transaction that drops every client connection, as a
 * failover to a replica that missed the last writes would look.
 */
class FailoverTimelineIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private SourceFixture fx;
    private KeySchema keys;

    @BeforeEach
    void namespace() {
        fx = new SourceFixture(redis);
        keys = KeySchema.of(fx.namespace);
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    @Test
    void aReconnectToADivergedTimelineReplacesTheWritesOnlyThisClientSaw() {
        fx.admin().create(Flag.killSwitch("a"));
        List<String> atOne = copyNamespace("one");
        fx.admin().create(Flag.killSwitch("b").withEnabled(false)); // version 2 on the "promoted replica"
        List<String> diverged = copyNamespace("diverged");
        restore("one", atOne, false);
        RecordingSink sink = fx.start(SourceFixture.NEVER); // only the reconnect can repair it
        long v = fx.admin().create(Flag.killSwitch("b").withEnabled(true)).version(); // version 2, lost timeline
        await().until(() -> sink.version() == v && sink.flag("b") != null);
        assertThat(sink.flag("b").enabled()).isTrue();

        restore("diverged", diverged, true);

        // same version, other content: a catch-up from version 2 would find nothing to do
        fx.awaitConverged(sink);
        assertThat(sink.flag("b").enabled()).isFalse();
        assertThat(sink.state()).isEqualTo(SourceState.VALID);
    }

    @Test
    void writesLostJustBeforeTheDisconnectAreFollowedNotFrozen() {
        fx.admin().create(Flag.killSwitch("a"));
        List<String> atOne = copyNamespace("one");
        RecordingSink sink = fx.start(SourceFixture.NEVER);
        long v = fx.admin().create(Flag.killSwitch("b")).version();
        await().until(() -> sink.version() == v);

        restore("one", atOne, true); // the promoted replica never got version 2

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.version() == 1);
        assertThat(sink.flag("b")).isNull();
        // VALID once the subscription is confirmed again, which may come after the reads
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.state() == SourceState.VALID);
        assertThat(sink.version()).isEqualTo(1);
        fx.admin().create(Flag.killSwitch("c"));
        fx.awaitConverged(sink);
    }

    @Test
    void aNamespaceThatWentBackFurtherThanAFailoverLosesStaysFrozen() {
        fx.admin().create(Flag.killSwitch("a"));
        List<String> atOne = copyNamespace("one");
        fx.admin().create(Flag.killSwitch("b"));
        // b was written an hour ago as far as the source can tell
        redis.execute(
                "HSET",
                keys.flag("b"),
                "updatedAt",
                Instant.now().minusSeconds(3600).toString());
        RecordingSink sink = fx.start(SourceFixture.NEVER);
        await().until(() -> sink.version() == 2);

        restore("one", atOne, true); // like Redis restored from an old backup

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.state() == SourceState.NAMESPACE_RESET);
        assertThat(sink.stateMessage()).contains("went back below version 2");
        assertThat(sink.version()).isEqualTo(2);
        assertThat(sink.flag("b")).isNotNull();
    }

    /** Copies the namespace's data keys under {@code tag}; returns the keys copied. */
    private List<String> copyNamespace(String tag) {
        List<String> copied = new ArrayList<>();
        for (Object key : (List<?>) redis.execute("KEYS", keys.prefix() + "*")) {
            String name = (String) key;
            if (!name.equals(keys.clients()) && !name.equals(keys.usage())) {
                redis.execute("COPY", name, tag + ":" + name, "REPLACE");
                copied.add(name);
            }
        }
        return copied;
    }

    /**
     * Replaces the namespace's data keys by the copy {@code tag} in one transaction, dropping every
     * client connection first when {@code reconnect} (their next connection finds only the copy).
     */
    private void restore(String tag, List<String> copied, boolean reconnect) {
        List<String[]> commands = new ArrayList<>();
        if (reconnect) {
            commands.add(new String[] {"CLIENT", "KILL", "TYPE", "pubsub"});
            commands.add(new String[] {"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});
        }
        for (Object key : (List<?>) redis.execute("KEYS", keys.prefix() + "*")) {
            String name = (String) key;
            if (!name.equals(keys.clients()) && !name.equals(keys.usage())) {
                commands.add(new String[] {"DEL", name});
            }
        }
        copied.forEach(name -> commands.add(new String[] {"COPY", tag + ":" + name, name, "REPLACE"}));
        redis.executeAtomically(commands);
    }
}
