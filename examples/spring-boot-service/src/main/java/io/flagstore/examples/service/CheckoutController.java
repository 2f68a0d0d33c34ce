package io.flagstore.examples.service;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The percentage rollout: {@code new-checkout} serves {@code on} to a share of users (25% in
 * flags.json), the same users every time and on every instance.
 */
@RestController
public class CheckoutController {
    static final String ROLLOUT = "new-checkout";

    private final FlagClient flags;
    private final PaymentsClient payments;

    public CheckoutController(FlagClient flags, PaymentsClient payments) {
        this.flags = flags;
        this.payments = payments;
    }

    /** Which checkout a user sees. */
    @GetMapping("/checkout")
    public Map<String, String> checkout(
            @RequestParam("user") String user, @RequestParam(name = "country", defaultValue = "") String country) {
        EvaluationContext context =
                EvaluationContext.builder(user).set("country", country).build();
        return Map.of("user", user, "checkout", flags.isEnabled(ROLLOUT, context) ? "new" : "classic");
    }

    /** Pays, through the kill switch. */
    @PostMapping("/pay")
    public Map<String, String> pay(@RequestParam("user") String user, @RequestParam("cents") int cents) {
        return Map.of("user", user, "payment", payments.charge(user, cents));
    }
}
