package io.flagstore.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.testing.RedisServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The demo service against a real Redis: the three patterns react to flag changes pushed to it. */
class DemoServiceIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private static final Pattern APPLIED = Pattern.compile(
            "APPLIED service=svc instance=svc-1 flag=payments-api enabled=false version=(\\d+) lag_ms=(\\d+\\.\\d) at=\\S+");

    @Test
    void killSwitchRolloutAndOperationalFlagFollowTheStore() {
        RedisOptions options = RedisOptions.builder()
                .uri(redis.uri())
                .namespace(redis.uniqueNamespace())
                .build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            WriteOptions w = new WriteOptions("test", "setup", null);
            admin.create(Flag.killSwitch(DemoService.KILL_SWITCH), w);
            admin.create(Flag.killSwitch(DemoService.OPS_FLAG), w);
            admin.create(
                    Flag.booleanFlag(DemoService.ROLLOUT)
                            .enabled(true)
                            .fallthrough(Serve.rollout(new Rollout(
                                    List.of(new WeightedVariant("on", 25), new WeightedVariant("off", 75)), null)))
                            .build(),
                    w);

            try (DemoService demo = DemoService.start("svc", "svc-1", options, log)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> bytes.toString(StandardCharsets.UTF_8)
                        .contains("JOB service=svc instance=svc-1 flag=background-sync state=running"));
                assertThat(demo.countRollout()).as("about 25% of 1000 users").isBetween(200, 300);

                long version = admin.disable(DemoService.KILL_SWITCH, w).version();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> APPLIED.matcher(bytes.toString(StandardCharsets.UTF_8))
                                .find());
                Matcher m = APPLIED.matcher(bytes.toString(StandardCharsets.UTF_8));
                assertThat(m.find()).isTrue();
                assertThat(Long.parseLong(m.group(1))).isEqualTo(version);
                assertThat(Double.parseDouble(m.group(2))).isBetween(0.0, 10_000.0);

                admin.disable(DemoService.OPS_FLAG, w);
                await().atMost(Duration.ofSeconds(10)).until(() -> bytes.toString(StandardCharsets.UTF_8)
                        .contains("flag=background-sync state=paused"));

                admin.setRollout(
                        DemoService.ROLLOUT, List.of(new WeightedVariant("on", 100), new WeightedVariant("off", 0)), w);
                await().atMost(Duration.ofSeconds(10)).until(() -> demo.countRollout() == DemoService.USERS);
            }
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("READY service=svc", "STOPPED service=svc");
    }
}
