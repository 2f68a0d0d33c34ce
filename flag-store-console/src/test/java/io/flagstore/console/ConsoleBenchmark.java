package io.flagstore.console;

import io.flagstore.core.model.Flag;
import io.flagstore.redis.Batch;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.testing.RedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What an operator sees, measured in a real browser (docs/benchmarks.md, "Console"):
 *
 * <ol>
 *   <li>click to every instance confirmed on screen: {@value #FLIPS} kill-switch flips through the
 *       console's confirmation page, with three service JVMs ({@link BenchService}) holding the flags;
 *       from the click on Confirm (wall clock in this JVM) to the moment the page shows "All 3
 *       instances confirmed" (wall clock in the browser: the time the live region last changed, or the
 *       first paint when the first render already showed it);
 *   <li>the flag list of a namespace with {@value #FLAGS} flags: time to first contentful paint and
 *       the bytes transferred (HTML, CSS, script), over {@value #LOADS} loads.
 * </ol>
 *
 * <p>Run with {@code mvn -B -ntp -q -pl flag-store-console -am -Pconsole-benchmark test-compile}.
 */
public final class ConsoleBenchmark {
    static final int FLIPS = 50;
    static final int FLAGS = 10_000;
    static final int LOADS = 10;
    static final int SERVICES = 3;

    private ConsoleBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("console-bench");
        List<Process> services = new ArrayList<>();
        try (RedisServer redis = RedisServer.builder().build()) {
            redis.start();
            String ns = "bench";
            try (FlagAdmin admin = FlagAdmin.connect(
                    RedisOptions.builder().uri(redis.uri()).namespace(ns).build())) {
                seed(admin);
            }
            for (int i = 0; i < SERVICES; i++) {
                services.add(startService(redis.uri(), ns, "service-" + i));
            }
            Files.writeString(
                    dir.resolve("users.txt"),
                    "bench " + PasswordHash.hash("bench".toCharArray(), 1000) + " operator@*\n");
            try (Console console = Console.start(ConsoleConfig.parse(
                    List.of(
                            "--redis",
                            redis.uri(),
                            "--namespaces",
                            ns,
                            "--port",
                            "0",
                            "--users",
                            dir.resolve("users.txt").toString()),
                    Map.of()))) {
                ChromeDriver browser = Browser.open(dir.resolve("profile"));
                try {
                    String base = "http://127.0.0.1:" + console.port();
                    browser.get(base + "/login");
                    browser.findElement(By.id("username")).sendKeys("bench");
                    browser.findElement(By.id("password")).sendKeys("bench");
                    browser.findElement(By.cssSelector("form button[type=submit]"))
                            .click();
                    try {
                        new WebDriverWait(browser, Duration.ofSeconds(30))
                                .until(ExpectedConditions.urlContains("/flags"));
                    } catch (RuntimeException e) {
                        throw new IllegalStateException(
                                "sign-in failed at " + browser.getCurrentUrl() + ": " + browser.getPageSource(), e);
                    }
                    flips(browser, base, ns);
                    flagList(browser, base, ns);
                } finally {
                    browser.quit();
                }
            }
        } finally {
            for (Process p : services) {
                p.getOutputStream().close();
                p.destroy();
                p.waitFor();
            }
        }
    }

    private static void seed(FlagAdmin admin) {
        admin.create(Flag.killSwitch("bench-switch"), WriteOptions.defaults().withReason("benchmark"));
        for (int start = 0; start < FLAGS - 1; start += 1000) {
            Batch.Builder batch = Batch.builder();
            for (int i = start; i < Math.min(FLAGS - 1, start + 1000); i++) {
                batch.put(Flag.killSwitch(String.format(Locale.ROOT, "flag-%05d", i)).toBuilder()
                        .description("Benchmark flag " + i + " of the payments and search areas")
                        .owner("team-" + (i % 20))
                        .tags(List.of("area-" + (i % 50)))
                        .build());
            }
            admin.apply(batch.build(), WriteOptions.defaults().withReason("benchmark"));
        }
    }

    private static Process startService(String uri, String ns, String name) throws Exception {
        Process p = new ProcessBuilder(
                        Paths.get(System.getProperty("java.home"), "bin", "java")
                                .toString(),
                        "-Xmx128m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        BenchService.class.getName(),
                        uri,
                        ns,
                        name)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("READY")) {
            throw new IllegalStateException("service " + name + " did not start: " + line);
        }
        return p;
    }

    private static void flips(ChromeDriver browser, String base, String ns) {
        List<Long> millis = new ArrayList<>();
        boolean enabled = true;
        for (int i = 0; i < FLIPS + 5; i++) { // the first 5 warm the JITs and are not counted
            browser.get(base + "/ns/" + ns + "/flags/bench-switch");
            browser.findElement(By.id("reason")).sendKeys("benchmark flip " + i);
            browser.findElement(By.id("switch")).click();
            try {
                new WebDriverWait(browser, Duration.ofSeconds(10))
                        .until(ExpectedConditions.presenceOfElementLocated(By.id("confirm")));
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        "flip " + i + ": no confirmation page: "
                                + browser.findElement(By.tagName("main")).getText(),
                        e);
            }
            // the click's time as the page saw it (not the WebDriver round trip before it)
            browser.executeScript("document.getElementById('confirm').addEventListener('click', function () {"
                    + " sessionStorage.setItem('clickedAt', String(Date.now())); });");
            browser.findElement(By.id("confirm")).click();
            // the click may return before the browser left the confirmation page
            new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(2))
                    .until(ExpectedConditions.urlContains("?v="));
            String expected = "All " + SERVICES + " instances confirmed";
            Object shown = browser.executeAsyncScript(
                    "var expected = arguments[0], done = arguments[arguments.length - 1];"
                            + "var start = Date.now();"
                            + "function check() {"
                            + "  var s = document.getElementById('delivery-summary');"
                            + "  if (s && s.textContent.indexOf(expected) >= 0) {"
                            + "    var live = document.getElementById('delivery').getAttribute('data-updated');"
                            + "    var paint = performance.getEntriesByName('first-contentful-paint')[0];"
                            + "    done(live ? [Number(live), 'live'] : paint ? [Math.round(performance.timeOrigin + paint.startTime), 'paint'] : [Date.now(), 'now']);"
                            + "  } else if (Date.now() - start > 10000) { done([-1, 'none']); } else { setTimeout(check, 1); }"
                            + "}"
                            + "check();",
                    expected);
            long at = ((Number) ((List<?>) shown).get(0)).longValue();
            String via = (String) ((List<?>) shown).get(1);
            long clicked =
                    Long.parseLong((String) browser.executeScript("return sessionStorage.getItem('clickedAt');"));
            if (at < 0) {
                throw new IllegalStateException("flip " + i + ": not every instance confirmed within 10 s");
            }
            enabled = !enabled;
            if (i >= 5) {
                millis.add(at - clicked);
            }
            Object timing = browser.executeScript("var n = performance.getEntriesByType('navigation')[0];"
                    + "return [Math.round(performance.timeOrigin), Math.round(n.responseStart), Math.round(n.responseEnd),"
                    + " Math.round(n.domContentLoadedEventEnd)];");
            System.err.println("flip " + i + ": " + (at - clicked) + " ms (" + via + "); navigation start +"
                    + (((Number) ((List<?>) timing).get(0)).longValue() - clicked)
                    + " ms, then response start, end, DOM loaded "
                    + ((List<?>) timing).subList(1, 4));
        }
        long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
                Locale.ROOT,
                "click to all %d instances confirmed on screen, %d flips: p50 %d ms, p99 %d ms, max %d ms%n",
                SERVICES,
                sorted.length,
                percentile(sorted, 50),
                percentile(sorted, 99),
                sorted[sorted.length - 1]);
        System.out.println("all (ms): " + Arrays.toString(sorted));
    }

    private static void flagList(ChromeDriver browser, String base, String ns) {
        List<Long> paints = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < LOADS + 2; i++) {
            browser.manage().deleteCookieNamed("unused"); // keeps the session; a fresh navigation each time
            browser.get(base + "/ns/" + ns + "/flags?nocache=" + i);
            Number paint = (Number) browser.executeAsyncScript("var done = arguments[arguments.length - 1], tries = 0;"
                    + "(function check() {"
                    + "  var p = performance.getEntriesByName('first-contentful-paint')[0];"
                    + "  if (p) { done(p.startTime); } else if (++tries > 200) {"
                    + "    done(performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd); }"
                    + "  else { requestAnimationFrame(check); }"
                    + "})();");
            Number weight = (Number)
                    browser.executeScript("var n = performance.getEntriesByType('navigation')[0].encodedBodySize;"
                            + "performance.getEntriesByType('resource').forEach(function (r) { n += r.encodedBodySize; });"
                            + "return n;");
            if (i >= 2) {
                paints.add(Math.round(paint.doubleValue()));
                bytes = weight.longValue();
            }
        }
        long[] sorted = paints.stream().mapToLong(Long::longValue).sorted().toArray();
        String count = browser.findElement(By.cssSelector("h1 .count")).getText();
        System.out.printf(
                Locale.ROOT,
                "flag list of %s flags: first contentful paint p50 %d ms, max %d ms; transferred %d bytes per load (compressed HTML; the stylesheet and script come from the cache after the first load)%n",
                count,
                percentile(sorted, 50),
                sorted[sorted.length - 1],
                bytes);
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
