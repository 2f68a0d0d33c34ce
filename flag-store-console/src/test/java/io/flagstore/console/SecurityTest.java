package io.flagstore.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecurityTest {
    @Test
    void afterSignInOnlyLocalPathsAreFollowed() {
        assertThat(Security.safeNext("/ns/prod/flags?tag=a")).isEqualTo("/ns/prod/flags?tag=a");
        assertThat(Security.safeNext("https://evil.example/")).isEqualTo("/");
        assertThat(Security.safeNext("//evil.example/")).isEqualTo("/");
        assertThat(Security.safeNext("/\\evil.example")).isEqualTo("/");
        assertThat(Security.safeNext(null)).isEqualTo("/");
    }

    @Test
    void policyForbidsInlineScriptAndStyle() {
        assertThat(Security.CSP)
                .contains("script-src 'self'")
                .contains("style-src 'self'")
                .doesNotContain("unsafe-inline")
                .contains("frame-ancestors 'none'");
    }

    @Test
    void pkceChallengeIsTheRfc7636Example() {
        // RFC 7636, appendix B
        assertThat(OidcLogin.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }
}
