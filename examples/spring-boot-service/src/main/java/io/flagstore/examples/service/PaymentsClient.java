package io.flagstore.examples.service;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * The outbound call behind a kill switch. {@code payments-api} is on in normal operation; an operator
 * turns it off ({@code flagctl disable payments-api --reason INC-42}) when the provider fails, and
 * payments are queued instead of calling it. The default {@code true} keeps payments flowing while
 * the service has no flags at all (see the backup file in application.yml): this switch fails open.
 */
@Component
public class PaymentsClient {
    static final String KILL_SWITCH = "payments-api";

    private final FlagClient flags;
    private final RestClient http;
    private final AtomicInteger queued = new AtomicInteger();

    public PaymentsClient(FlagClient flags, @Value("${payments.url}") String paymentsUrl) {
        this.flags = flags;
        this.http = RestClient.create(paymentsUrl);
    }

    /** Charges through the provider, or queues the payment while the kill switch is off. */
    public String charge(String userId, int cents) {
        if (!flags.boolValue(KILL_SWITCH, EvaluationContext.of(userId), true)) {
            queued.incrementAndGet();
            return "queued";
        }
        return http.post()
                .uri("/charges?user={user}&cents={cents}", userId, cents)
                .retrieve()
                .body(String.class);
    }

    /** Payments queued while the provider was switched off. */
    public int queued() {
        return queued.get();
    }
}
