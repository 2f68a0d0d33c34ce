package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void masksThePasswordButKeepsTheUser() {
        assertThat(Redaction.uri("redis://alice:s3cret@host:6380/1")).isEqualTo("redis://alice:***@host:6380/1");
    }

    @Test
    void masksAPasswordOnlyUserinfo() {
        assertThat(Redaction.uri("rediss://s3cret@host")).isEqualTo("rediss://***@host");
    }

    @Test
    void leavesAUriWithoutCredentialsAlone() {
        assertThat(Redaction.uri("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
    }

    @Test
    void scrubsTheRawAndDecodedPasswordFromAnyText() {
        String uri = "redis://bob:p%40ss@h:1";
        assertThat(Redaction.scrub("auth p%40ss failed; p@ss; " + uri, uri))
                .doesNotContain("p%40ss")
                .doesNotContain("p@ss")
                .contains("redis://bob:***@h:1");
    }

    @Test
    void scrubsCredentialsOfUrisItWasNotTold() {
        assertThat(Redaction.scrubUris("Unmatched argument: 'rediss://u:topsecret@x:1'"))
                .isEqualTo("Unmatched argument: 'rediss://u:***@x:1'");
    }
}
