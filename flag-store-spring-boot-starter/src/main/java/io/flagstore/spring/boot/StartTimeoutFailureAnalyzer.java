package io.flagstore.spring.boot;

import io.flagstore.core.StartTimeoutException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up stopped by {@code flagstore.fail-fast=true} in Boot's "APPLICATION FAILED TO
 * START" report: what did not arrive, and the settings that decide what happens instead.
 */
final class StartTimeoutFailureAnalyzer extends AbstractFailureAnalyzer<StartTimeoutException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StartTimeoutException cause) {
        return new FailureAnalysis(
                cause.getMessage() + ", and flagstore.fail-fast=true stops the application without flags.",
                "Check flagstore.redis.uri and that Redis is reachable from here (flagctl status shows the"
                        + " namespace). To start anyway: set flagstore.redis.backup-file so that a restart"
                        + " during a Redis outage serves the last flags, raise flagstore.start-timeout, or set"
                        + " flagstore.fail-fast=false to serve each call's default until the flags arrive.",
                cause);
    }
}
