package io.flagstore.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flagstore.redis.testing.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, end to end: {@code bin/demo} against this test's Redis (the path that
 * starts its own redis-server is exercised by running the script by hand).
 */
class DemoScriptIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void demoFlipsTheKillSwitchOnThreeServicesAndStopsThem(@TempDir Path dir) throws Exception {
        assumeTrue(
                Files.exists(ROOT.resolve("flag-store-admin-cli/target/flagctl.jar")),
                "flagctl.jar is built by the reactor before this module");
        Path output = dir.resolve("demo.out");
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("bin/demo").toString())
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().put("FLAGSTORE_REDIS_URL", redis.uri());
        String namespace = redis.uniqueNamespace();
        pb.environment().put("FLAGSTORE_NAMESPACE", namespace);
        pb.environment().put("DEMO_METRICS", "1");
        Process demo = pb.start();
        boolean finished = demo.waitFor(120, TimeUnit.SECONDS);
        String out = Files.readString(output, StandardCharsets.UTF_8);
        if (!finished) {
            demo.descendants().forEach(ProcessHandle::destroy);
            demo.destroy();
        }
        assertThat(finished).as(out).isTrue();
        assertThat(demo.exitValue()).as(out).isZero();

        assertThat(out)
                .contains("all 3 instances applied version", "received by 3 subscribers")
                .contains("each entry signed by its service's trusted key");
        assertThat(out)
                .as("the demo ends with the experiment's results\n" + out)
                .contains("new-checkout: experiment running since")
                .contains("metric checkout.completed (primary)")
                .containsPattern("\\non +50% +\\d+ +\\d+ +\\d+\\.\\d\\d% +[+-]\\d+\\.\\d%")
                .contains("sample ratio: ok");
        for (String service : new String[] {"checkout", "billing", "storefront"}) {
            Matcher m = Pattern.compile("APPLIED service=" + service
                            + " instance=\\S+ flag=payments-api enabled=false version=\\d+ lag_ms=(\\d+\\.\\d)")
                    .matcher(out);
            assertThat(m.find()).as(service + " logged the change\n" + out).isTrue();
            assertThat(out)
                    .as(service + " printed its metrics URL\n" + out)
                    .containsPattern(
                            "METRICS service=" + service + " instance=\\S+ url=http://127\\.0\\.0\\.1:\\d+/metrics");
        }
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> p.info().commandLine().orElse("").contains(namespace)))
                .as("no demo service left running")
                .isEmpty();
        // A clean stop keeps the presence entry, marked closed, so a confirmation given just
        // before leaving still counts; no entry may be left looking live.
        List<?> entries = (List<?>) redis.server().execute("HVALS", "flagstore:{" + namespace + "}:clients");
        assertThat(entries)
                .as("the three services and the console were present")
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(entries)
                .as("every instance marked itself closed on its clean stop")
                .allSatisfy(entry -> assertThat(entry.toString()).contains("\"closedAt\":"));
    }
}
