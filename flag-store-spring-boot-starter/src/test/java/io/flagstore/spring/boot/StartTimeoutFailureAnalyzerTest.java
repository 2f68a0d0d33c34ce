package io.flagstore.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagstore.core.StartTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A fail-fast start-up is explained in Boot's failure report. */
class StartTimeoutFailureAnalyzerTest {
    @Test
    void aStartTimeoutIsExplainedWithTheSettingsThatDecideIt() {
        StartTimeoutException timeout = new StartTimeoutException(
                "flag source RedisFlagSource[prod, checkout-1] delivered no flags within PT5S"
                        + " (last reported: Connection refused)",
                Duration.ofSeconds(5));
        FailureAnalysis analysis =
                new StartTimeoutFailureAnalyzer().analyze(new BeanCreationException("flagClient", "failed", timeout));
        assertThat(analysis.getDescription()).contains("Connection refused").contains("flagstore.fail-fast");
        assertThat(analysis.getAction())
                .contains("flagstore.redis.uri")
                .contains("flagstore.redis.backup-file")
                .contains("flagstore.fail-fast=false");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void bootReportsTheAnalysisWhenAnApplicationFailsFast(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(TestApplication.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "flagstore.redis.uri=redis://127.0.0.1:1",
                        "flagstore.redis.connect-timeout=200ms",
                        "flagstore.start-timeout=300ms",
                        "flagstore.fail-fast=true");
        assertThatThrownBy(application::run).hasRootCauseInstanceOf(StartTimeoutException.class);
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("flagstore.redis.backup-file");
    }
}
