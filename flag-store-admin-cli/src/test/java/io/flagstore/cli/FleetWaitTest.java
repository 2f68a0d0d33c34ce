package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.redis.ServiceInstance;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FleetWaitTest {
    private static final Instant T = Instant.ofEpochSecond(1_700_000_000);
    private static final ServiceInstance UNSIGNED =
            new ServiceInstance("s", "i", null, 2, T, T, null, "e", null, null, null);

    @Test
    void onlyAnEntrySignedByTheKeyFromBeforeTheWriteIsTheInstancesOwn() {
        assertThat(FleetWait.unverified(UNSIGNED.withSigningKey("k1"), "k1")).isNull();
        assertThat(FleetWait.unverified(UNSIGNED.withSigningKey("k2"), "k1"))
                .isEqualTo("signed by another key than before the write");
    }

    @Test
    void anUnsignedEntryIsNeverTheInstancesOwn() {
        assertThat(FleetWait.unverified(UNSIGNED, "k1")).startsWith("unsigned entry");
        assertThat(FleetWait.unverified(UNSIGNED, null)).startsWith("unsigned entry");
    }

    @Test
    void anInstanceUnsignedBeforeTheWriteCannotBeVerifiedByASignatureAfterIt() {
        assertThat(FleetWait.unverified(UNSIGNED.withSigningKey("k1"), null)).startsWith("unsigned before the write");
    }
}
