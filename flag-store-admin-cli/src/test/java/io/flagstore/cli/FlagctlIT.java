package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.ServiceInstance;
import io.flagstore.redis.testing.RedisServerExtension;
import io.flagstore.redis.testing.SignedPresence;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * flagctl driven as an operator would, against a real Redis: arguments in, stdout/stderr/exit code
 * out. Each test has its own namespace, passed through the environment like a user's shell would.
 */
class FlagctlIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

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

    private JsonNode flag(String key) {
        return Cli.flag(env, key);
    }

    private long namespaceVersion() {
        return ok("status", "--json").json().get("version").asLong();
    }

    @Test
    void createMakesABooleanFlagThatIsOffUntilEnabled() {
        Cli.Result created =
                ok("create", "payments-api", "--tag", "payments", "--owner", "payments-team", "--reason", "new");
        assertThat(created.out()).startsWith("created payments-api: version ").contains("received by");

        JsonNode get = ok("get", "payments-api", "--json").json();
        assertThat(get.get("flag").get("type").asText()).isEqualTo("boolean");
        assertThat(get.get("flag").get("enabled").asBoolean()).isFalse();
        assertThat(get.get("flag").get("variants").get("on").asBoolean()).isTrue();
        assertThat(get.get("flag").get("offVariant").asText()).isEqualTo("off");
        assertThat(get.get("lastChange").get("reason").asText()).isEqualTo("new");
        assertThat(get.get("lastChange").get("actor").asText()).isEqualTo(System.getProperty("user.name"));
        assertThat(ok("get", "payments-api").out()).contains("state", "off", "payments-team", "last change");

        ok("create", "kill-switch", "--enabled");
        assertThat(flag("kill-switch").get("enabled").asBoolean()).isTrue();
        assertThat(ok("get", "kill-switch").out()).contains("on (serving on)");
    }

    @Test
    void listFiltersByTagStateAndOwnerInTablesAndJson() {
        ok("create", "a", "--enabled", "--tag", "payments", "--owner", "team-a");
        ok("create", "b", "--tag", "payments", "--tag", "eu", "--owner", "team-b");
        ok("create", "c", "--enabled");

        assertThat(ok("list", "--json").json().get("flags"))
                .extracting(n -> n.get("key").asText())
                .containsExactly("a", "b", "c");
        assertThat(ok("list", "--tag", "payments", "--state", "off", "--json")
                        .json()
                        .get("flags"))
                .extracting(n -> n.get("key").asText())
                .containsExactly("b");
        assertThat(ok("list", "--owner", "team-a", "--json").json().get("flags"))
                .extracting(n -> n.get("key").asText())
                .containsExactly("a");

        List<String> table = ok("list").out().lines().toList();
        assertThat(table.get(0)).startsWith("KEY").contains("STATE", "SERVES", "VERSION", "OWNER", "TAGS");
        assertThat(table).hasSize(4);
        int stateColumn = table.get(0).indexOf("STATE");
        assertThat(table.subList(1, 4))
                .allSatisfy(row -> assertThat(row.substring(stateColumn)).matches("(on|off) .*"));
        assertThat(ok("list", "--tag", "nope").out()).contains("no flags match");
    }

    @Test
    void disableByTagIsOneAtomicWriteAndEnableTurnsThemBack() {
        ok("create", "a", "--enabled", "--tag", "payments");
        ok("create", "b", "--enabled", "--tag", "payments");
        ok("create", "c", "--enabled");
        long before = namespaceVersion();

        JsonNode result = ok("disable", "--tag", "payments", "--no-wait", "--json", "--reason", "INC-7")
                .json();
        assertThat(result.get("version").asLong()).isEqualTo(before + 1);
        assertThat(result.get("keys")).extracting(JsonNode::asText).containsExactlyInAnyOrder("a", "b");
        assertThat(flag("a").get("enabled").asBoolean()).isFalse();
        assertThat(flag("b").get("enabled").asBoolean()).isFalse();
        assertThat(flag("c").get("enabled").asBoolean()).isTrue();
        assertThat(namespaceVersion()).isEqualTo(before + 1);

        JsonNode history =
                ok("history", "--limit", "1", "--json").json().get("entries").get(0);
        assertThat(history.get("keys")).extracting(JsonNode::asText).containsExactlyInAnyOrder("a", "b");
        assertThat(history.get("reason").asText()).isEqualTo("INC-7");

        ok("enable", "--tag", "payments");
        assertThat(flag("a").get("enabled").asBoolean()).isTrue();
    }

    @Test
    void aMissingFlagExitsThreeWithAHint() {
        for (String[] args : List.of(
                new String[] {"get", "nope"},
                new String[] {"disable", "nope", "--no-wait"},
                new String[] {"set", "nope", "--owner", "x"},
                new String[] {"target", "nope", "on", "add", "u"},
                new String[] {"delete", "nope", "--yes"})) {
            Cli.Result r = run(args);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(r.err())
                    .startsWith("flagctl: error: ")
                    .contains("nope")
                    .contains("\nhint: ")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void aStaleExpectedVersionExitsFourAndWritesNothing() {
        ok("create", "x", "--owner", "first");
        long version = flag("x").get("version").asLong();

        Cli.Result conflict = run("set", "x", "--owner", "second", "--expect-version", String.valueOf(version + 5));
        assertThat(conflict.exitCode()).as(conflict.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(conflict.err()).contains("version").contains("hint: ");
        assertThat(flag("x").get("owner").asText()).isEqualTo("first");

        ok("set", "x", "--owner", "second", "--expect-version", String.valueOf(version));
        assertThat(flag("x").get("owner").asText()).isEqualTo("second");

        Cli.Result again = run("create", "x");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.CONFLICT);
    }

    @Test
    void anUnreachableRedisExitsFiveWithoutStackTraceOrPassword() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String url = "redis://ops:S3cr3tPw@127.0.0.1:" + closedPort;
        for (String[] args : List.of(
                new String[] {"status", "--redis", url},
                new String[] {"disable", "k", "--redis", url},
                new String[] {"list", "--json", "--redis", url})) {
            Cli.Result r = Cli.run(Map.of(), Cli.NO_TERMINAL, args);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(r.err())
                    .startsWith("flagctl: error: cannot reach Redis at redis://ops:***@127.0.0.1:" + closedPort)
                    .contains("\nhint: ")
                    .doesNotContain("S3cr3tPw")
                    .doesNotContain("\tat ");
            assertThat(r.out()).doesNotContain("S3cr3tPw");
        }
        Cli.Result verbose = Cli.run(Map.of(Flagctl.ENV_REDIS, url), Cli.NO_TERMINAL, "status", "--verbose", "--json");
        assertThat(verbose.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(verbose.err()).contains("\tat ").doesNotContain("S3cr3tPw");
        assertThat(verbose.json().get("reachable").asBoolean()).isFalse();
        assertThat(verbose.out()).doesNotContain("S3cr3tPw");
    }

    @Test
    void refusedCredentialsExitFiveWithoutPrintingThePassword() {
        redis.execute("ACL", "SETUSER", "cli-ops", "on", ">R1ghtPw", "~*", "&*", "+@all");
        Cli.Result wrong = run("list", "--redis", redis.uri().replace("redis://", "redis://cli-ops:Wr0ngPw@"));
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(wrong.err()).contains("cli-ops:***@").contains("password").doesNotContain("Wr0ngPw");
        assertThat(wrong.out()).isEmpty();

        Cli.Result right =
                run("list", "--json", "--redis", redis.uri().replace("redis://", "redis://cli-ops:R1ghtPw@"));
        assertThat(right.exitCode()).as(right.toString()).isZero();
        assertThat(right.out() + right.err()).doesNotContain("R1ghtPw");
    }

    @Test
    void deleteAsksAndWithoutATerminalRefusesUnlessYes() {
        ok("create", "doomed");

        Cli.Result refused = run("delete", "doomed");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("no terminal").contains("--yes");
        ok("get", "doomed");

        Cli.Result declined = Cli.run(env, Cli.answering(false), "delete", "doomed");
        assertThat(declined.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(declined.err()).contains("aborted");
        ok("get", "doomed");

        Cli.Result confirmed = Cli.run(env, Cli.answering(true), "delete", "doomed");
        assertThat(confirmed.exitCode()).as(confirmed.toString()).isZero();
        assertThat(run("get", "doomed").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);

        ok("create", "doomed");
        assertThat(ok("delete", "doomed", "--yes", "--json")
                        .json()
                        .get("keys")
                        .get(0)
                        .asText())
                .isEqualTo("doomed");
    }

    @Test
    void rolloutAndTargetsChangeWhatIsServed() {
        ok("create", "new-checkout", "--enabled");
        JsonNode rollout =
                ok("rollout", "new-checkout", "on=25", "off=75", "--json").json();
        assertThat(rollout.get("keys").get(0).asText()).isEqualTo("new-checkout");
        JsonNode slices = flag("new-checkout").get("fallthrough").get("rollout").get("variants");
        assertThat(slices.get(0).get("variant").asText()).isEqualTo("on");
        assertThat(slices.get(0).get("weight").asDouble()).isEqualTo(25);
        assertThat(ok("list").out()).contains("on=25% off=75%");

        Cli.Result bad = run("rollout", "new-checkout", "on=25", "off=65");
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(ExitCodes.INVALID);
        assertThat(bad.err()).contains("invalid definition");

        ok("target", "new-checkout", "on", "add", "alice", "bob");
        ok("target", "new-checkout", "on", "remove", "alice");
        assertThat(flag("new-checkout").get("targets").get("on"))
                .extracting(JsonNode::asText)
                .containsExactly("bob");
        assertThat(ok("target", "new-checkout", "on", "remove", "alice").out()).contains("nothing to change");
    }

    @Test
    void setChangesFieldsAndCreateTakesTypesAndFiles(@TempDir Path dir) throws IOException {
        ok(
                "create",
                "banner",
                "--type",
                "string",
                "--variant",
                "old=Hello",
                "--variant",
                "new=Hi there",
                "--fallthrough",
                "new");
        JsonNode banner = flag("banner");
        assertThat(banner.get("type").asText()).isEqualTo("string");
        assertThat(banner.get("variants").get("new").asText()).isEqualTo("Hi there");
        assertThat(banner.get("offVariant").asText()).isEqualTo("old");

        ok(
                "set",
                "banner",
                "--description",
                "the top banner",
                "--owner",
                "web",
                "--tags",
                "ui,eu",
                "--temporary",
                "true",
                "--expires",
                "2027-01-01",
                "--fallthrough",
                "old");
        banner = flag("banner");
        assertThat(banner.get("description").asText()).isEqualTo("the top banner");
        assertThat(banner.get("tags")).extracting(JsonNode::asText).containsExactly("ui", "eu");
        assertThat(banner.get("temporary").asBoolean()).isTrue();
        assertThat(banner.get("expiresAt").asText()).startsWith("2027-01-01T00:00");
        assertThat(banner.get("fallthrough").get("variant").asText()).isEqualTo("old");

        Path file = dir.resolve("limit.json");
        Files.writeString(
                file,
                "{\"key\":\"limit\",\"type\":\"number\",\"variants\":{\"low\":10,\"high\":100},"
                        + "\"offVariant\":\"low\",\"fallthrough\":{\"variant\":\"high\"},\"enabled\":true}");
        ok("create", "--from-file", file.toString());
        assertThat(flag("limit").get("variants").get("high").asInt()).isEqualTo(100);

        Files.writeString(
                file,
                "{\"key\":\"broken\",\"type\":\"number\",\"variants\":{\"low\":\"ten\"},"
                        + "\"offVariant\":\"nope\",\"fallthrough\":{\"variant\":\"low\"}}");
        Cli.Result invalid = run("create", "--from-file", file.toString());
        assertThat(invalid.exitCode()).as(invalid.toString()).isEqualTo(ExitCodes.INVALID);
        assertThat(invalid.err().lines().toList()).hasSize(2);
        assertThat(run("get", "broken").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void historyRecordsActorAndReason() {
        ok("create", "k", "--actor", "alice", "--reason", "launch");
        ok("disable", "k", "--actor", "bob", "--reason", "INC-42", "--no-wait");
        JsonNode entries = ok("history", "k", "--json").json().get("entries");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).get("actor").asText()).isEqualTo("bob");
        assertThat(entries.get(0).get("reason").asText()).isEqualTo("INC-42");
        assertThat(entries.get(1).get("actor").asText()).isEqualTo("alice");
        assertThat(ok("history", "k").out()).contains("VERSION", "bob", "INC-42", "alice", "launch");
        assertThat(ok("history", "k", "--limit", "1", "--json").json().get("entries"))
                .hasSize(1);
    }

    @Test
    void exportThenApplyDryRunWritesNothingAndApplyIsOneBatch(@TempDir Path dir) throws IOException {
        ok("create", "a", "--owner", "x");
        ok("create", "b");
        JsonNode exported = ok("export").json();
        assertThat(exported.get("flags")).hasSize(2);

        Path file = dir.resolve("flags.json");
        assertThat(ok("export", "-o", file.toString()).out()).contains("exported 2 flags");
        String text = Files.readString(file).replace("\"x\"", "\"y\"");
        JsonNode doc = Json.read(text);
        ((com.fasterxml.jackson.databind.node.ArrayNode) doc.get("flags"))
                .addObject()
                .put("key", "c")
                .put("type", "boolean");
        Files.writeString(file, Json.write(doc, true));
        long before = namespaceVersion();

        Cli.Result dry = ok("apply", "-f", file.toString(), "--dry-run");
        assertThat(dry.out())
                .contains("create", "update", "unchanged")
                .contains("owner")
                .contains("dry run: nothing written");
        assertThat(namespaceVersion()).isEqualTo(before);
        assertThat(run("get", "c").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);

        JsonNode applied = ok("apply", "-f", file.toString(), "--json").json();
        assertThat(applied.get("version").asLong()).isEqualTo(before + 1);
        assertThat(applied.get("changes"))
                .extracting(n -> n.get("action").asText())
                .containsExactly("update", "unchanged", "create");
        assertThat(namespaceVersion()).isEqualTo(before + 1);
        assertThat(flag("a").get("owner").asText()).isEqualTo("y");
        ok("get", "c");

        assertThat(ok("apply", "-f", file.toString()).out()).contains("nothing to apply");
        assertThat(namespaceVersion()).isEqualTo(before + 1);
    }

    @Test
    void disableWaitsUntilALiveInstanceConfirms() {
        ok("create", "payments-api");
        try (RedisFlagSource source = startSource("checkout", "checkout-1")) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ok("status").out().contains(source.instanceId()));

            Cli.Result r = ok("disable", "payments-api", "--reason", "INC-1");
            assertThat(r.out())
                    .contains("disabled payments-api: version", "waiting", "checkout-1", "all 1 instance applied");

            JsonNode json = ok("enable", "payments-api", "--wait", "--json").json();
            assertThat(json.get("wait").get("complete").asBoolean()).isTrue();
            JsonNode confirmed = json.get("wait").get("confirmed").get(0);
            assertThat(confirmed.get("instance").asText()).isEqualTo("checkout-1");
            assertThat(confirmed.get("signingKey").isTextual())
                    .as("a source signs its entry")
                    .isTrue();
            assertThat(confirmed.get("appliedVersion").asLong())
                    .isGreaterThanOrEqualTo(json.get("version").asLong());
            assertThat(confirmed.get("applyMs").asDouble()).isBetween(-1000.0, 10_000.0);

            JsonNode status = ok("status", "--json").json();
            assertThat(status.get("instances").get(0).get("service").asText()).isEqualTo("checkout");
            assertThat(status.get("instances").get(0).get("behind").asLong()).isZero();
        }
    }

    @Test
    void waitTimesOutNamingTheInstanceThatDidNotConfirm() {
        ok("create", "payments-api");
        Instant now = Instant.now();
        redis.execute(
                "HSET",
                "flagstore:{" + namespace + "}:clients",
                "ghost-1",
                new SignedPresence()
                        .entry(
                                namespace,
                                new ServiceInstance(
                                        "ghost", "ghost-1", "h9", 0, now, now, now, null, null, null, null)));

        Cli.Result r = run("disable", "payments-api", "--wait-timeout", "300ms");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.WAIT_TIMEOUT);
        assertThat(r.out()).contains("ghost-1", "NOT CONFIRMED");
        assertThat(ok("status").out()).doesNotContain("unsigned");
        assertThat(r.err())
                .startsWith("flagctl: error: 1 of 1 live instances did not confirm")
                .contains("ghost/ghost-1");
        assertThat(flag("payments-api").get("enabled").asBoolean())
                .as("the write itself is done")
                .isFalse();
    }

    @Test
    void watchPrintsEachPushedChangeUntilItHasSeenEnough() throws InterruptedException {
        ok("create", "payments-api");
        AtomicReference<Cli.Result> result = new AtomicReference<>();
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        Thread watcher = new Thread(() -> result.set(new Cli.Result(
                Flagctl.commandLine(env, Cli.NO_TERMINAL)
                        .setOut(new PrintWriter(out, true))
                        .setErr(new PrintWriter(err, true))
                        .execute("watch", "--count", "2", "--json"),
                out.toString(),
                err.toString())));
        watcher.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("\"init\""));

        ok("disable", "payments-api", "--actor", "carol", "--reason", "INC-9", "--no-wait");
        ok("enable", "payments-api", "--no-wait");
        watcher.join(10_000);

        assertThat(result.get()).as("watch ended after two changes").isNotNull();
        assertThat(result.get().exitCode()).isZero();
        List<JsonNode> changes = out.toString()
                .lines()
                .map(Json::read)
                .filter(n -> n.get("event").asText().equals("change"))
                .toList();
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).get("keys").get(0).asText()).isEqualTo("payments-api");
        assertThat(changes.get(0).get("actor").asText()).isEqualTo("carol");
        assertThat(changes.get(0).get("reason").asText()).isEqualTo("INC-9");
        assertThat(changes.get(0).get("flags").get(0).get("enabled").asBoolean())
                .isFalse();
        assertThat(changes.get(1).get("version").asLong())
                .isEqualTo(changes.get(0).get("version").asLong() + 1);
    }

    @Test
    void watchStopsCleanlyWhenInterrupted() throws InterruptedException {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        AtomicReference<Integer> code = new AtomicReference<>();
        Thread watcher = new Thread(() -> code.set(Flagctl.commandLine(env, Cli.NO_TERMINAL)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("watch")));
        watcher.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("watching namespace"));
        watcher.interrupt();
        watcher.join(10_000);
        assertThat(code.get()).as(err.toString()).isZero();
        assertThat(err.toString()).isEmpty();
    }

    private RedisFlagSource startSource(String service, String instance) {
        RedisFlagSource source = RedisFlagSource.builder()
                .options(RedisOptions.builder()
                        .uri(redis.uri())
                        .namespace(namespace)
                        .build())
                .serviceName(service)
                .instanceId(instance)
                .build();
        List<Long> applied = new CopyOnWriteArrayList<>();
        source.start(new FlagSink() {
            @Override
            public void init(FlagData data) {
                applied.add(data.version());
            }

            @Override
            public void apply(FlagUpdate update) {
                applied.add(update.version());
            }

            @Override
            public void stateChanged(SourceState state, String message) {}
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> !applied.isEmpty());
        return source;
    }
}
