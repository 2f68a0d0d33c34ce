package io.flagstore.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.AuditEntry;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.testing.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The incident flow in a real headless Chromium against a running console, a real Redis, a real
 * OpenID Connect provider (its own process) and three running {@link FlagClient}s: sign in through
 * the provider, turn a kill switch off with the keyboard alone, watch every client confirm it on the
 * page, and find the signed-in user in the audit entry. Screenshots go to docs/images.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    @TempDir
    static Path dir;

    static final String SCRIPT_DESCRIPTION =
            "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\"> falls back to the old flow";

    static String ns;
    static OidcProvider oidc;
    static FlagAdmin admin;
    static Console console;
    static final List<FlagClient> clients = new ArrayList<>();
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(
                Browser.available(), "chromium and chromium-driver are not installed (bin/test installs them)");
        ns = redis.uniqueNamespace();
        admin = FlagAdmin.connect(
                RedisOptions.builder().uri(redis.uri()).namespace(ns).build());
        seed();
        for (String service : List.of("checkout", "billing", "storefront")) {
            clients.add(FlagClient.builder()
                    .source(RedisFlagSource.builder()
                            .options(RedisOptions.builder()
                                    .uri(redis.uri())
                                    .namespace(ns)
                                    .build())
                            .serviceName(service)
                            .instanceId(service + "-1")
                            .build())
                    .build());
        }
        oidc = OidcProvider.start();
        Files.writeString(
                dir.resolve("users.txt"),
                "viewer " + PasswordHash.hash("viewer-pass".toCharArray(), 1000) + " viewer@" + ns + "\n");
        int port = OidcProvider.freePort();
        console = Console.start(ConsoleConfig.parse(
                List.of(
                        "--redis", redis.uri(),
                        "--namespaces", ns,
                        "--port", Integer.toString(port),
                        "--users", dir.resolve("users.txt").toString(),
                        "--oidc-issuer", oidc.issuer(),
                        "--oidc-client-id", "flag-console",
                        "--oidc-client-secret", "not-checked-by-the-mock"),
                Map.of()));
        browser = Browser.open(dir.resolve("profile"));
    }

    private static void seed() {
        admin.create(Flag.killSwitch("payments-api").toBuilder()
                .description("Kill switch: call the payments provider; off = queue payments and charge later")
                .owner("payments-team")
                .tags(List.of("payments", "kill-switch"))
                .build());
        admin.create(Flag.killSwitch("payments-refunds").toBuilder()
                .description("Kill switch: automatic refunds")
                .owner("payments-team")
                .tags(List.of("payments", "kill-switch"))
                .build());
        admin.create(Flag.killSwitch("search-suggestions").toBuilder()
                .description("Suggestions in the search box")
                .owner("search-team")
                .tags(List.of("search"))
                .build());
        admin.create(Flag.killSwitch("legacy-checkout").toBuilder()
                .description(SCRIPT_DESCRIPTION)
                .owner("checkout-team")
                .tags(List.of("checkout"))
                .build());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        clients.forEach(FlagClient::close);
        if (console != null) {
            console.close();
        }
        if (oidc != null) {
            oidc.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + console.port() + path;
    }

    /** Presses Tab until {@code target} has the focus (at most 40 times): what a keyboard user does. */
    private static void tabTo(WebElement target) {
        Actions keys = new Actions(browser);
        for (int i = 0; i < 40 && !target.equals(browser.switchTo().activeElement()); i++) {
            keys.sendKeys(Keys.TAB).perform();
        }
        assertThat(browser.switchTo().activeElement()).isEqualTo(target);
    }

    @Test
    @Order(1)
    void signInThroughOidcAndKillASwitchWithTheKeyboardUntilEveryClientConfirms() {
        browser.get(url("/ns/" + ns + "/flags/payments-api"));
        waiting().until(ExpectedConditions.urlContains("/login"));
        browser.findElement(By.id("sso")).click();
        // the provider's own sign-in page
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
        browser.findElement(By.name("username")).sendKeys("alice");
        WebElement claims = browser.findElement(By.name("claims"));
        claims.clear();
        claims.sendKeys("{\"preferred_username\": \"alice\", \"flagstore_roles\": [\"operator@" + ns + "\"]}");
        browser.findElement(By.cssSelector("input[type=submit]")).click();
        waiting().until(ExpectedConditions.urlContains("/ns/" + ns + "/flags/payments-api"));
        assertThat(browser.findElement(By.cssSelector(".who .user")).getText()).isEqualTo("alice");
        waiting()
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.id("delivery-summary"), "All 3 instances"));

        // keyboard only: Tab to the reason, type it, Enter; on the confirmation page Enter confirms
        tabTo(browser.findElement(By.id("reason")));
        new Actions(browser)
                .sendKeys("INC-42 payments provider failing")
                .sendKeys(Keys.ENTER)
                .perform();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("confirm")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("Turn OFF payments-api");
        assertThat(browser.findElement(By.cssSelector(".changes")).getText()).contains("enabled: true → false");
        Browser.screenshot(browser, "console-confirm");
        assertThat(browser.switchTo().activeElement()).isEqualTo(browser.findElement(By.id("confirm")));
        new Actions(browser).sendKeys(Keys.ENTER).perform();

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("flag-state"), "OFF"));
        waiting()
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.id("delivery-summary"), "All 3 instances confirmed"));
        // the live table is re-rendered by each event: read it in one step, retrying a replaced row
        List<String> statuses = waiting()
                .ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector("#delivery tbody tr")).stream()
                        .map(r -> r.getAttribute("data-status"))
                        .toList());
        assertThat(statuses).containsExactly("confirmed", "confirmed", "confirmed");
        for (FlagClient client : clients) {
            assertThat(client.boolValue("payments-api", EvaluationContext.of("user-1"), true))
                    .isFalse();
        }
        AuditEntry audit = admin.history("payments-api", 1).get(0);
        assertThat(audit.op()).isEqualTo("disable");
        assertThat(audit.actor()).isEqualTo("alice");
        assertThat(audit.reason()).isEqualTo("INC-42 payments provider failing");
        assertThat(browser.findElement(By.cssSelector(".history .actor")).getText())
                .isEqualTo("alice");
        Browser.screenshot(browser, "console-incident");
    }

    @Test
    @Order(2)
    void disableEveryKillSwitchOfATagInOneWrite() {
        browser.get(url("/ns/" + ns + "/tags/payments"));
        browser.findElement(By.id("reason")).sendKeys("INC-43 stop all payment traffic");
        browser.findElement(By.id("disable-all")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("confirm")));
        assertThat(browser.findElement(By.cssSelector(".changes")).getText())
                .contains("payments-refunds: ON → OFF")
                .doesNotContain("payments-api:");
        browser.findElement(By.id("confirm")).click();
        // the confirmation posts to a URL under the tag page too: wait for the write itself
        await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.history(1).get(0).op(), "disableByTag"::equals);
        AuditEntry audit = admin.history(1).get(0);
        assertThat(audit.keys()).containsExactlyInAnyOrder("payments-api", "payments-refunds");
        assertThat(audit.actor()).isEqualTo("alice");
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.stream()
                .noneMatch(c -> c.boolValue("payments-refunds", EvaluationContext.of("u"), true)));
        browser.navigate().refresh();
        Browser.screenshot(browser, "console-tag");
    }

    @Test
    @Order(3)
    void aDescriptionHoldingMarkupIsShownAsText() {
        browser.get(url("/ns/" + ns + "/flags/legacy-checkout"));
        assertThat(browser.findElement(By.id("flag-description")).getText()).isEqualTo(SCRIPT_DESCRIPTION);
        assertThat(browser.findElements(By.cssSelector("#flag-description img, #flag-description script")))
                .isEmpty();
        assertThat(browser.executeScript("return typeof window.pwned")).isEqualTo("undefined");
        browser.get(url("/ns/" + ns + "/flags?owner=checkout-team"));
        assertThat(browser.executeScript("return typeof window.pwned")).isEqualTo("undefined");
        assertThat(browser.findElement(By.cssSelector("td .desc")).getText()).isEqualTo(SCRIPT_DESCRIPTION);
    }

    @Test
    @Order(4)
    void fleetAndFlagListForTheScreenshots() {
        browser.get(url("/ns/" + ns + "/fleet"));
        waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#fleet tbody tr[data-status]"), 3));
        Browser.screenshot(browser, "console-fleet");
        browser.get(url("/ns/" + ns + "/flags"));
        assertThat(browser.findElements(By.cssSelector("table.flags tbody tr"))).hasSize(4);
        Browser.screenshot(browser, "console-flags");
    }

    @Test
    @Order(5)
    void aViewerSeesNoControls() {
        browser.manage().deleteAllCookies();
        browser.get(url("/login"));
        browser.findElement(By.id("username")).sendKeys("viewer");
        browser.findElement(By.id("password")).sendKeys("viewer-pass", Keys.ENTER);
        waiting().until(ExpectedConditions.urlContains("/ns/" + ns + "/flags"));
        browser.get(url("/ns/" + ns + "/flags/search-suggestions"));
        assertThat(browser.findElements(By.id("switch"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector(".switch")).getText()).contains("needs the operator role");
        browser.get(url("/ns/" + ns + "/tags/search"));
        assertThat(browser.findElements(By.id("disable-all"))).isEmpty();
    }
}
