package io.flagstore.examples.service;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A scheduled job with an operational flag: while {@code pause-reconciliation} is on, each run does
 * nothing (say, during a database migration). The context is the service, not a user.
 */
@Component
public class ReconciliationJob {
    static final String PAUSE = "pause-reconciliation";
    private static final EvaluationContext SERVICE = EvaluationContext.of("reconciliation-job");

    private final FlagClient flags;
    private final AtomicInteger runs = new AtomicInteger();

    public ReconciliationJob(FlagClient flags) {
        this.flags = flags;
    }

    @Scheduled(fixedDelayString = "${reconciliation.interval:60s}")
    void reconcile() {
        if (flags.isEnabled(PAUSE, SERVICE)) {
            return;
        }
        runs.incrementAndGet(); // the real work would go here
    }

    /** Runs that did the work. */
    public int runs() {
        return runs.get();
    }
}
