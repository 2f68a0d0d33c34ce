package io.flagstore.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.NamespaceInfo;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.ServiceInstance;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.DocumentedAcl;
import io.flagstore.redis.testing.RedisServerExtension;
import io.flagstore.redis.testing.SignedPresence;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API and the web security rules against a running console and a real Redis. */
class ConsoleApiIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    @TempDir
    static Path dir;

    static final MutableClock CLOCK = new MutableClock();
    static String ns;
    static String other;
    static FlagAdmin admin;
    static Console console;
    static String viewerToken;

    @BeforeAll
    static void start() throws IOException {
        ns = redis.uniqueNamespace();
        other = redis.uniqueNamespace();
        admin = FlagAdmin.connect(
                RedisOptions.builder().uri(redis.uri()).namespace(ns).build());
        admin.create(Flag.killSwitch("payments-api").toBuilder()
                .tags(List.of("payments"))
                .build());
        admin.create(
                Flag.killSwitch("refunds").toBuilder().tags(List.of("payments")).build());
        String users = "op " + PasswordHash.hash("op-pass".toCharArray(), 1000) + " operator@" + ns + ",viewer@" + other
                + "\n" + "viewer " + PasswordHash.hash("viewer-pass".toCharArray(), 1000) + " viewer@*\n"
                + "boss " + PasswordHash.hash("boss-pass".toCharArray(), 1000) + " admin@" + ns + "\n";
        Files.writeString(dir.resolve("users.txt"), users);
        viewerToken = ApiTokens.generate();
        Files.writeString(
                dir.resolve("tokens.txt"), "ci-bot " + ApiTokens.sha256(viewerToken) + " viewer@" + ns + "\n");
        console = Console.start(
                ConsoleConfig.parse(
                        List.of(
                                "--redis", redis.uri(),
                                "--namespaces", ns + "," + other,
                                "--port", "0",
                                "--users", dir.resolve("users.txt").toString(),
                                "--tokens", dir.resolve("tokens.txt").toString()),
                        Map.of()),
                CLOCK);
    }

    @AfterAll
    static void stop() {
        console.close();
        admin.close();
    }

    private WebClient signedIn(String user, String password) {
        WebClient client = new WebClient(console.url());
        assertThat(client.login(user, password)).isEqualTo(302);
        return client;
    }

    /** A JSON POST with the session's CSRF token, as a page's script would send it. */
    private static HttpResponse<String> post(WebClient client, String path, String body) {
        return client.json("POST", path, body, Map.of("X-CSRF-Token", client.csrfOf("/ns/" + ns + "/flags")));
    }

    /** Asserts the status, the error model's code and flagctl's exit code of the same meaning. */
    private static void assertError(HttpResponse<String> response, int status, String code, int exitCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(error(response).path("code").asText()).isEqualTo(code);
        assertThat(error(response).path("exitCode").asInt()).isEqualTo(exitCode);
    }

    private static JsonNode error(HttpResponse<String> response) {
        return WebClient.parse(response).path("error");
    }

    @Test
    void operatorSwitchesWithReasonAndTheAuditNamesThem() {
        WebClient op = signedIn("op", "op-pass");
        String csrf = op.csrfOf("/ns/" + ns + "/flags");
        HttpResponse<String> response = op.json(
                "POST",
                "/api/v1/ns/" + ns + "/flags/refunds/enabled",
                "{\"enabled\": false, \"reason\": \"INC-7 refunds double charging\"}",
                Map.of("X-CSRF-Token", csrf));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(admin.get("refunds").orElseThrow().enabled()).isFalse();
        assertThat(admin.history("refunds", 1).get(0).actor()).isEqualTo("op");
        assertThat(admin.history("refunds", 1).get(0).reason()).isEqualTo("INC-7 refunds double charging");
    }

    @Test
    void anAdminWritesABatchAsOneVersion() {
        WebClient boss = signedIn("boss", "boss-pass");
        HttpResponse<String> response = post(
                boss,
                "/api/v1/ns/" + ns + "/batches",
                "{\"reason\": \"launch\", \"puts\": [{\"key\": \"batch-a\", \"type\": \"boolean\"},"
                        + " {\"key\": \"batch-b\", \"type\": \"boolean\", \"enabled\": false}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        long version = WebClient.parse(response).path("version").asLong();
        assertThat(admin.get("batch-a").orElseThrow().version()).isEqualTo(version);
        assertThat(admin.get("batch-b").orElseThrow().version()).isEqualTo(version);
        assertThat(admin.history(1).get(0).actor()).isEqualTo("boss");
        assertThat(admin.history(1).get(0).op()).isEqualTo("batch");
    }

    @Test
    void aWriteWithoutReasonIsAUsageError() {
        WebClient op = signedIn("op", "op-pass");
        HttpResponse<String> response =
                post(op, "/api/v1/ns/" + ns + "/flags/payments-api/enabled", "{\"enabled\": false}");
        assertError(response, 400, "usage", 2);
    }

    @Test
    void aMissingCsrfTokenIsRefusedAndNothingChanges() {
        long before = admin.get("payments-api").orElseThrow().version();
        WebClient op = signedIn("op", "op-pass");
        HttpResponse<String> api = op.json(
                "POST",
                "/api/v1/ns/" + ns + "/flags/payments-api/enabled",
                "{\"enabled\": false, \"reason\": \"x\"}",
                Map.of());
        HttpResponse<String> form =
                op.form("/ns/" + ns + "/flags/payments-api/enabled", "enabled=false&reason=x&confirmed=yes");
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(error(api).path("message").asText()).contains("CSRF");
        assertThat(form.statusCode()).isEqualTo(403);
        assertThat(admin.get("payments-api").orElseThrow().version()).isEqualTo(before);
    }

    @Test
    void aViewerCannotWrite() {
        WebClient viewer = signedIn("viewer", "viewer-pass");
        HttpResponse<String> response = post(
                viewer,
                "/api/v1/ns/" + ns + "/flags/payments-api/enabled",
                "{\"enabled\": false, \"reason\": \"trying\"}");
        assertError(response, 403, "denied", 8);
        assertThat(viewer.get("/ns/" + ns + "/flags/payments-api").body()).doesNotContain("id=\"switch\"");
        assertThat(admin.get("payments-api").orElseThrow().enabled()).isTrue();
    }

    @Test
    void anOperatorOfOneNamespaceOnlyViewsAnother() {
        WebClient op = signedIn("op", "op-pass");
        HttpResponse<String> response =
                post(op, "/api/v1/ns/" + other + "/tags/payments/enabled", "{\"enabled\": false, \"reason\": \"x\"}");
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void anExpiredSessionIsRefused() {
        WebClient op = signedIn("op", "op-pass");
        assertThat(op.get("/api/v1/ns/" + ns + "/flags").statusCode()).isEqualTo(200);
        CLOCK.advance(Duration.ofMinutes(31));
        assertThat(op.get("/api/v1/ns/" + ns + "/flags").statusCode()).isEqualTo(401);
        assertThat(op.get("/ns/" + ns + "/flags").statusCode()).isEqualTo(302);
    }

    @Test
    void compareAndSetThroughIfMatch() {
        WebClient op = signedIn("op", "op-pass");
        String csrf = op.csrfOf("/ns/" + ns + "/flags");
        HttpResponse<String> read = op.get("/api/v1/ns/" + ns + "/flags/payments-api");
        String etag = read.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).isEqualTo("\"" + WebClient.parse(read).path("version").asLong() + "\"");
        HttpResponse<String> first = op.json(
                "POST",
                "/api/v1/ns/" + ns + "/flags/payments-api/targets",
                "{\"variant\": \"off\", \"keys\": [\"tester-1\"], \"reason\": \"repro\"}",
                Map.of("X-CSRF-Token", csrf, "If-Match", etag));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        HttpResponse<String> stale = op.json(
                "POST",
                "/api/v1/ns/" + ns + "/flags/payments-api/targets",
                "{\"variant\": \"off\", \"keys\": [], \"reason\": \"repro\"}",
                Map.of("X-CSRF-Token", csrf, "If-Match", etag));
        assertError(stale, 412, "precondition-failed", 4);
        assertThat(admin.get("payments-api").orElseThrow().targets().get("off")).containsExactly("tester-1");
    }

    /**
     * Any holder of the service role can write any presence entry. The delivery view takes an
     * instance's word only from an entry signed by the key it was first seen with: a forged
     * confirmation (another key, or unsigned) shows as unverified and confirms nothing.
     */
    @Test
    void theDeliveryViewBelievesOnlyAnInstancesOwnSignedEntry() {
        KeySchema keys = KeySchema.of(ns);
        SignedPresence own = new SignedPresence();
        SignedPresence forger = new SignedPresence();
        admin.create(Flag.killSwitch("forgery-target"));
        NamespaceInfo info = admin.info();
        redis.execute(
                "HSET", keys.clients(), "honest-1", own.entry(ns, instance("honest-1", info.version(), info.epoch())));
        WebClient bot = new WebClient(console.url());
        Map<String, String> auth = Map.of("Authorization", "Bearer " + viewerToken);
        String path = "/api/v1/ns/" + ns + "/flags/forgery-target/delivery";
        await().atMost(Duration.ofSeconds(10))
                .until(() -> statuses(bot.send("GET", path, null, null, auth)).containsKey("honest-1"));

        long written = admin.disable("forgery-target").version();
        redis.execute(
                "HSET",
                keys.clients(),
                "honest-1",
                forger.entry(ns, instance("honest-1", written, info.epoch())),
                "newcomer-1",
                SignedPresence.unsigned(instance("newcomer-1", written, info.epoch())));
        await().atMost(Duration.ofSeconds(10)).until(() -> statuses(bot.send("GET", path, null, null, auth))
                .equals(Map.of("honest-1", "unverified", "newcomer-1", "unverified")));
        JsonNode delivery = WebClient.parse(bot.send("GET", path, null, null, auth));
        assertThat(delivery.path("confirmed").asInt()).isZero();
        assertThat(delivery.path("summary").asText()).contains("2 unverified");

        redis.execute("HSET", keys.clients(), "honest-1", own.entry(ns, instance("honest-1", written, info.epoch())));
        await().atMost(Duration.ofSeconds(10)).until(() -> "confirmed"
                .equals(statuses(bot.send("GET", path, null, null, auth)).get("honest-1")));
        redis.execute("HDEL", keys.clients(), "honest-1", "newcomer-1");
    }

    /** A live instance of {@code epoch} that applied {@code version} just now. */
    private static ServiceInstance instance(String id, long version, String epoch) {
        Instant now = Instant.now();
        return new ServiceInstance("checkout", id, "host-1", version, now, now, now, epoch, null, null, null);
    }

    /** Instance id to status in a delivery response. */
    private static Map<String, String> statuses(HttpResponse<String> response) {
        Map<String, String> out = new TreeMap<>();
        WebClient.parse(response)
                .path("instances")
                .forEach(i ->
                        out.put(i.path("instance").asText(), i.path("status").asText()));
        return out;
    }

    @Test
    void apiTokensAreScopedToTheirRoleAndNamespaces() {
        WebClient bot = new WebClient(console.url());
        Map<String, String> auth = Map.of("Authorization", "Bearer " + viewerToken);
        assertThat(bot.send("GET", "/api/v1/ns/" + ns + "/flags", null, null, auth)
                        .statusCode())
                .isEqualTo(200);
        assertThat(bot.send("GET", "/api/v1/ns/" + other + "/flags", null, null, auth)
                        .statusCode())
                .isEqualTo(404);
        HttpResponse<String> write = bot.json(
                "POST",
                "/api/v1/ns/" + ns + "/flags/payments-api/enabled",
                "{\"enabled\": false, \"reason\": \"bot\"}",
                auth);
        assertThat(write.statusCode()).isEqualTo(403);
        HttpResponse<String> forged = bot.send(
                "GET", "/api/v1/ns/" + ns + "/flags", null, null, Map.of("Authorization", "Bearer fst_forged"));
        assertThat(forged.statusCode()).isEqualTo(401);
    }

    @Test
    void loginsAreRateLimited() {
        WebClient guesser = new WebClient(console.url());
        for (int i = 0; i < LoginLimiter.MAX_FAILURES; i++) {
            assertThat(guesser.login("viewer", "guess-" + i)).isEqualTo(401);
        }
        assertThat(guesser.login("viewer", "viewer-pass")).isEqualTo(429);
        CLOCK.advance(LoginLimiter.WINDOW.plusSeconds(1));
        assertThat(guesser.login("viewer", "viewer-pass")).isEqualTo(302);
    }

    @Test
    void pagesCarryAStrictPolicyAndCookiesAreLockedDown() {
        WebClient client = new WebClient(console.url());
        HttpResponse<String> login = client.get("/login");
        assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow())
                .isEqualTo(Security.CSP);
        assertThat(login.body()).doesNotContain("<script>").doesNotContain("style=");
        client.login("viewer", "viewer-pass");
        WebClient raw = new WebClient(console.url());
        String setCookie = raw.send(
                        "POST",
                        "/login",
                        "csrf=x&username=viewer&password=viewer-pass",
                        "application/x-www-form-urlencoded",
                        Map.of("Cookie", "flagstore_login=x"))
                .headers()
                .firstValue("Set-Cookie")
                .orElseThrow();
        assertThat(setCookie).startsWith("flagstore_session=").contains("HttpOnly", "Secure", "SameSite=Lax");
    }

    /** Every operation of openapi.json exists on the running server and answers as documented. */
    @Test
    void theOpenApiDocumentDescribesTheRunningServer() throws IOException {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/console/openapi.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        WebClient op = signedIn("op", "op-pass");
        String csrf = op.csrfOf("/ns/" + ns + "/flags");
        assertThat(WebClient.parse(op.get("/api/v1/openapi.json"))).isEqualTo(doc);
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            String url = "/api/v1"
                    + path.getKey()
                            .replace("{ns}", ns)
                            .replace("{key}", "payments-api")
                            .replace("{tag}", "payments");
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = ops.next();
                if (operation.getKey().equals("parameters")) {
                    continue;
                }
                String method = operation.getKey().toUpperCase(java.util.Locale.ROOT);
                HttpResponse<String> response = method.equals("GET")
                        ? op.get(url)
                        : op.json(
                                method, url, "{}", Map.of("X-CSRF-Token", csrf)); // no reason: refused, nothing written
                String status = Integer.toString(response.statusCode());
                assertThat(operation.getValue().path("responses").has(status))
                        .as(method + " " + url + " answered " + status + " " + response.body())
                        .isTrue();
                JsonNode schema = operation
                        .getValue()
                        .path("responses")
                        .path(status)
                        .path("content")
                        .path("application/json")
                        .path("schema");
                JsonNode resolved =
                        schema.has("$ref") ? doc.at(schema.get("$ref").asText().substring(1)) : schema;
                JsonNode body = WebClient.parse(response);
                for (JsonNode required : resolved.path("required")) {
                    assertThat(body.has(required.asText()))
                            .as(method + " " + url + " has " + required)
                            .isTrue();
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(15);
    }

    @Test
    void readOnlyWhenTheRedisUserHasOnlyTheServiceRole() {
        String uri = DocumentedAcl.create(redis, DocumentedAcl.Role.SERVICE, ns, "console-ro", "ro-pass");
        try (Console readOnly = Console.start(
                ConsoleConfig.parse(
                        List.of(
                                "--redis",
                                uri,
                                "--namespaces",
                                ns,
                                "--port",
                                "0",
                                "--users",
                                dir.resolve("users.txt").toString()),
                        Map.of()),
                CLOCK)) {
            WebClient op = new WebClient(readOnly.url());
            assertThat(op.login("op", "op-pass")).isEqualTo(302);
            HttpResponse<String> page = op.get("/ns/" + ns + "/flags/payments-api");
            assertThat(page.body()).contains("Read-only").doesNotContain("id=\"switch\"");
            HttpResponse<String> write = op.json(
                    "POST",
                    "/api/v1/ns/" + ns + "/flags/payments-api/enabled",
                    "{\"enabled\": false, \"reason\": \"x\"}",
                    Map.of("X-CSRF-Token", op.csrfOf("/ns/" + ns + "/flags")));
            assertThat(write.statusCode()).isEqualTo(403);
            assertThat(error(write).path("message").asText()).contains("read-only");
        }
        assertThat(admin.get("payments-api").orElseThrow().enabled()).isTrue();
    }
}
