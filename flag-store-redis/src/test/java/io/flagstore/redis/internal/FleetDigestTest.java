package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetDigestTest {
    private static final Flag ON = FlagJson.read("{\"key\":\"a\",\"enabled\":true}");
    private static final Flag OFF = FlagJson.read("{\"key\":\"a\",\"enabled\":false}");
    private static final Flag OTHER = FlagJson.read("{\"key\":\"b\",\"enabled\":true}");

    @Test
    void setDigestDoesNotDependOnOrder() {
        assertThat(FleetDigest.of(List.of(ON, OTHER))).isEqualTo(FleetDigest.of(List.of(OTHER, ON)));
    }

    @Test
    void anyChangedDefinitionChangesTheDigest() {
        assertThat(FleetDigest.of(ON)).isNotEqualTo(FleetDigest.of(OFF));
        assertThat(FleetDigest.of(List.of(ON, OTHER))).isNotEqualTo(FleetDigest.of(List.of(OFF, OTHER)));
    }

    @Test
    void hexIsSixteenDigits() {
        assertThat(FleetDigest.hex(1L)).isEqualTo("0000000000000001");
        assertThat(FleetDigest.hex(-1L)).isEqualTo("ffffffffffffffff");
    }
}
