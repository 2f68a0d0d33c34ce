package io.flagstore.demo;

import java.util.SplittableRandom;

/** A simulated payments provider that fails a share of the calls, like a dependency in trouble. */
final class FlakyPayments {
    private final double failureRate;
    private final SplittableRandom random = new SplittableRandom();

    FlakyPayments(double failureRate) {
        this.failureRate = failureRate;
    }

    /** One charge; {@code false} when the provider failed it. Called from one thread. */
    boolean charge() {
        return random.nextDouble() >= failureRate;
    }
}
