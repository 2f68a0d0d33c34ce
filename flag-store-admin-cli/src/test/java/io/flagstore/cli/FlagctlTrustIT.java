package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.ServiceInstance;
import io.flagstore.redis.testing.RecordingSink;
import io.flagstore.redis.testing.RedisServerExtension;
import io.flagstore.redis.testing.SignedPresence;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * flagctl when Redis or presence lies or breaks, driven as an operator would: a version that went
 * backwards (and the documented recovery), nobody to confirm, confirmations that cannot be true,
 * an instance that confirms and leaves, corrupt keys (and the documented repairs), a reply after
 * the timeout, and a hash edited by hand.
 */
class FlagctlTrustIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    @TempDir
    Path dir;

    private String namespace;
    private Map<String, String> env;

    @BeforeEach
    void namespace() {
        namespace = redis.uniqueNamespace();
        env = Cli.env(redis.uri(), namespace);
    }

    private Cli.Result run(String... args) {
        return Cli.run(env, Cli.NO_TERMINAL, args);
    }

    private Cli.Result ok(String... args) {
        return Cli.ok(env, args);
    }

    private String key(String suffix) {
        return "flagstore:{" + namespace + "}:" + suffix;
    }

    private long version() {
        return Long.parseLong((String) redis.execute("GET", key("version")));
    }

    private String epoch() {
        return (String) redis.execute("HGET", key("meta"), "epoch");
    }

    private void presence(String id, String json) {
        redis.execute("HSET", key("clients"), id, json);
    }

    private static String entry(String id, long applied, long appliedAt, long heartbeat, String epoch, String extra) {
        return "{\"service\":\"svc\",\"instance\":\"" + id + "\",\"appliedVersion\":" + applied + ",\"appliedAt\":"
                + appliedAt + ",\"heartbeat\":" + heartbeat + ",\"epoch\":\"" + epoch + "\"" + extra + "}";
    }

    private static ServiceInstance signed(String id, long applied, long at, String epoch, Long closedAt) {
        Instant time = Instant.ofEpochMilli(at);
        return new ServiceInstance(
                "svc",
                id,
                null,
                applied,
                time,
                time,
                null,
                epoch,
                null,
                null,
                closedAt == null ? null : Instant.ofEpochMilli(closedAt));
    }

    private RedisFlagSource source(String instance) {
        RedisFlagSource source = RedisFlagSource.builder()
                .options(RedisOptions.builder()
                        .uri(redis.uri())
                        .namespace(namespace)
                        .build())
                .serviceName("checkout")
                .instanceId(instance)
                .reconcileInterval(Duration.ofHours(1))
                .build();
        RecordingSink sink = new RecordingSink();
        source.start(sink);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.version() > 0);
        return source;
    }

    @Test
    void aKillSwitchAfterTheVersionWentBackwardsIsRefusedAndTheDocumentedRecoveryWorks() {
        ok("create", "payments-api");
        ok("create", "search");
        try (RedisFlagSource ignored = source("checkout-1")) {
            long held = version();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ok("status", "--json")
                                    .json()
                                    .get("instances")
                                    .path(0)
                                    .path("appliedVersion")
                                    .asLong()
                            == held);
            redis.execute("SET", key("version"), Long.toString(held - 1)); // restored from an older backup

            Cli.Result refused = run("disable", "payments-api", "--reason", "INC-1");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.VERSION_REGRESSED);
            assertThat(refused.err()).contains("went backwards", "nothing was written", "--reseed --force");
            assertThat(ok("status").out()).contains("BACKWARDS");

            // the recovery as docs/operations.md, "Version went backwards", gives it
            Path now = dir.resolve("now.json");
            ok("export", "-o", now.toString());
            ok("apply", "-f", now.toString(), "--reseed", "--force");
            Cli.Result disabled = ok("disable", "payments-api", "--reason", "INC-1");
            assertThat(disabled.out()).contains("all 1 instance applied");
        }
    }

    @Test
    void waitingWithNoLiveInstanceSaysSoAndDoesNotExitZero() {
        ok("create", "payments-api");

        Cli.Result r = run("disable", "payments-api");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.WAIT_TIMEOUT);
        assertThat(r.err()).contains("none is live", "the write itself is done");
        assertThat(Cli.flag(env, "payments-api").get("enabled").asBoolean()).isFalse();
    }

    @Test
    void confirmationsThatCannotBeTrueAreNotCounted() {
        ok("create", "payments-api");
        long now = System.currentTimeMillis();
        long next = version() + 1;
        presence("future", entry("future", next, now, now + 3_600_000, epoch(), ""));
        presence("huge", entry("huge", Long.MAX_VALUE - 1, now, now, epoch(), ""));

        Cli.Result r = run("disable", "payments-api", "--wait-timeout", "500ms");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.WAIT_TIMEOUT);
        assertThat(r.err()).contains("none is live");
        assertThat(ok("status").out()).contains("IGNORED", "future", "in the future", "huge", "out of range");
    }

    @Test
    void anInstanceThatConfirmedAndThenClosedCountsAsConfirmed() throws InterruptedException {
        ok("create", "payments-api");
        long now = System.currentTimeMillis();
        long before = version();
        String epoch = epoch();
        SignedPresence leaving = new SignedPresence();
        presence("leaving", leaving.entry(namespace, signed("leaving", before, now, epoch, null)));
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread service = new Thread(() -> {
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> version() > before);
                long at = System.currentTimeMillis();
                presence("leaving", leaving.entry(namespace, signed("leaving", before + 1, at, epoch, at)));
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        service.start();

        Cli.Result r = run("disable", "payments-api", "--wait-timeout", "5s");
        service.join(10_000);

        assertThat(failed.get()).isNull();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("leaving", "all 1 instance applied");
    }

    @Test
    void aKeyOfTheWrongTypeIsReportedAndRepairableWhileOtherFlagsStillWork() {
        ok("create", "good", "--tag", "t");
        ok("create", "bad", "--tag", "t");
        redis.execute("DEL", key("flag:bad"));
        redis.execute("SET", key("flag:bad"), "oops");

        Cli.Result get = run("get", "bad");
        assertThat(get.exitCode()).as(get.toString()).isEqualTo(ExitCodes.CORRUPT);
        assertThat(get.err()).contains("WRONGTYPE", "apply -f", "delete").doesNotContain("cannot reach");
        ok("disable", "good", "--no-wait");
        assertThat(ok("status").out()).contains("CORRUPT", "bad");
        Cli.Result tagged = run("enable", "--tag", "t");
        assertThat(tagged.exitCode()).as(tagged.toString()).isZero();
        assertThat(tagged.err()).startsWith("flagctl: warning:").contains("could not be read", "bad");
        Cli.Result export = run("export", "-o", dir.resolve("x.json").toString());
        assertThat(export.exitCode()).as(export.toString()).isEqualTo(ExitCodes.CORRUPT);
        assertThat(export.err()).contains("lacks 1 key", "bad");

        ok("delete", "bad", "--yes");

        assertThat(run("get", "bad").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(ok("export").exitCode()).isZero();
    }

    @Test
    void aHashWithACorruptFieldIsOverwrittenByApply() throws Exception {
        ok("create", "bad");
        Path good = dir.resolve("good.json");
        ok("export", "-o", good.toString());
        redis.execute("HSET", key("flag:bad"), "variants", "{not json");
        assertThat(run("get", "bad").exitCode()).isEqualTo(ExitCodes.CORRUPT);

        Cli.Result applied = ok("apply", "-f", good.toString());

        assertThat(applied.out()).contains("repair", "1 corrupt to replace");
        assertThat(ok("get", "bad").exitCode()).isZero();
    }

    @Test
    void aWriteWhoseReplyComesAfterTheTimeoutHasItsOwnCodeNotUnavailable() {
        ok("create", "payments-api");
        redis.execute("CLIENT", "PAUSE", "1500", "WRITE");

        Cli.Result r = run("disable", "payments-api", "--timeout", "300ms", "--no-wait");

        assertThat(r.exitCode())
                .as(r.toString())
                .isEqualTo(ExitCodes.OUTCOME_UNKNOWN)
                .isNotEqualTo(5);
        assertThat(r.err()).contains("may or may not have been written", "history", "status");
    }

    @Test
    void verifyFindsAHandEditStatusShowsTheDisagreementAndRepairFixesIt() {
        ok("create", "payments-api");
        long v = version();
        redis.execute("HSET", key("flag:payments-api"), "description", "edited without a write");
        long now = System.currentTimeMillis();
        presence("old", entry("old", v, now, now, epoch(), ",\"digest\":\"0000000000000001\""));
        presence("new", entry("new", v, now, now, epoch(), ",\"digest\":\"0000000000000002\""));

        Cli.Result found = run("verify");
        assertThat(found.exitCode()).as(found.toString()).isEqualTo(ExitCodes.CORRUPT);
        assertThat(found.out()).contains("payments-api", "checksum mismatch", "verify --repair");
        assertThat(ok("status").out()).contains("DISAGREE", "verify");
        JsonNode status = ok("status", "--json").json();
        assertThat(status.get("digestsDisagree").asBoolean()).isTrue();

        redis.execute("DEL", key("clients"));
        assertThat(ok("verify", "--repair").out()).contains("rewrote payments-api");
        assertThat(ok("verify").out()).contains("as its write left it");
        assertThat(version()).isEqualTo(v + 1);
    }

    @Test
    void aPresenceKeyOfTheWrongTypeNeitherBlocksAWriteNorTurnsItIntoUnavailable() {
        ok("create", "payments-api");
        long before = version();
        redis.execute("SET", key("clients"), "not a hash");

        Cli.Result r = run("disable", "payments-api");

        assertThat(r.exitCode())
                .as(r.toString())
                .isEqualTo(ExitCodes.WAIT_TIMEOUT)
                .isNotEqualTo(5);
        assertThat(r.err()).contains("none is live");
        assertThat(version()).isEqualTo(before + 1);
        assertThat(ok("status").out()).contains("IGNORED", "not a hash");
    }

    @Test
    void historyShowsTheAuthenticatedRedisUser() {
        ok("create", "payments-api", "--actor", "alice");

        JsonNode entry = ok("history", "--json").json().get("entries").get(0);

        assertThat(entry.get("actor").asText()).isEqualTo("alice");
        assertThat(entry.get("redisUser").asText()).isEqualTo("default");
    }
}
