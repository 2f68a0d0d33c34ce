package io.flagstore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.model.Flag;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void killSwitchIsEnabledBoolean() {
        assertThat(Flag.killSwitch("payments-api").enabled()).isTrue();
    }
}
