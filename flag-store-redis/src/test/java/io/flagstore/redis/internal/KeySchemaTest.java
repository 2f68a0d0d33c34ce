package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeySchemaTest {

    @Test
    void keysShareTheNamespaceHashTag() {
        KeySchema keys = KeySchema.of("prod-eu");
        assertThat(keys.flag("new-checkout")).isEqualTo("flagstore:{prod-eu}:flag:new-checkout");
        assertThat(keys.segment("staff")).isEqualTo("flagstore:{prod-eu}:segment:staff");
        assertThat(keys.flags()).isEqualTo("flagstore:{prod-eu}:flags");
        assertThat(keys.segments()).isEqualTo("flagstore:{prod-eu}:segments");
        assertThat(keys.deleted()).isEqualTo("flagstore:{prod-eu}:deleted");
        assertThat(keys.version()).isEqualTo("flagstore:{prod-eu}:version");
        assertThat(keys.meta()).isEqualTo("flagstore:{prod-eu}:meta");
        assertThat(keys.audit()).isEqualTo("flagstore:{prod-eu}:audit");
        assertThat(keys.changes()).isEqualTo("flagstore:{prod-eu}:changes");
        assertThat(keys.clients()).isEqualTo("flagstore:{prod-eu}:clients");
        assertThat(KeySchema.deletedSegmentMember("staff")).isEqualTo("segment:staff");
    }

    @Test
    void acceptsTheLongestValidNamespace() {
        String ns = "a" + "b".repeat(63);
        assertThat(KeySchema.of(ns).namespace()).isEqualTo(ns);
        assertThat(KeySchema.of("0.a_b-c").prefix()).isEqualTo("flagstore:{0.a_b-c}:");
    }

    @Test
    void refusesInvalidNamespacesNamingTheValue() {
        for (String bad : new String[] {"", "Prod", "-x", "a b", "a{b}", "a:b", "a".repeat(65)}) {
            assertThatThrownBy(() -> KeySchema.of(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> KeySchema.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void refusesEmptyKeys() {
        assertThatThrownBy(() -> KeySchema.of("default").flag("")).isInstanceOf(IllegalArgumentException.class);
    }
}
