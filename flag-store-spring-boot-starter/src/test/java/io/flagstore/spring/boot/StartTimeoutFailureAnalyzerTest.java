package io.flagstore.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.StartTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

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
    void bootFindsTheAnalyzer() {
        assertThat(SpringFactoriesLoader.loadFactoryNames(
                        FailureAnalyzer.class, getClass().getClassLoader()))
                .contains(StartTimeoutFailureAnalyzer.class.getName());
    }
}
