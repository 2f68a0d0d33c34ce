package io.flagstore.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * OpenID Connect login: the authorization code flow with PKCE (S256), a {@code state} bound to the
 * browser by a cookie, and a {@code nonce} checked in the ID token, whose signature is verified
 * against the provider's published keys (JWKS). The console's grants come from a claim (by default
 * {@code flagstore_roles}: {@code operator@prod} strings) plus configured defaults.
 */
final class OidcLogin {
    /** A login in progress: started by {@link #start}, finished by {@link #finish}. */
    record Pending(String verifier, String nonce, String next, Instant expires) {}

    /** Where to send the browser, and the state to bind to it. */
    record Start(URI redirect, String state) {}

    static final Duration PENDING_TTL = Duration.ofMinutes(10);
    private static final Set<JWSAlgorithm> ALGORITHMS =
            Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256);

    private final ConsoleConfig config;
    private final Clock clock;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile Discovery discovery;

    private record Discovery(
            String issuer, URI authorization, URI token, DefaultJWTProcessor<SecurityContext> processor) {}

    OidcLogin(ConsoleConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    URI redirectUri() {
        return URI.create(config.publicUrl + "/oidc/callback");
    }

    Start start(String next) {
        Discovery d = discovery();
        pending.values().removeIf(p -> p.expires().isBefore(clock.instant()));
        String state = Sessions.randomToken();
        String verifier = Sessions.randomToken();
        String nonce = Sessions.randomToken();
        pending.put(state, new Pending(verifier, nonce, next, clock.instant().plus(PENDING_TTL)));
        Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", config.oidcClientId);
        params.put("redirect_uri", redirectUri().toString());
        params.put("scope", "openid profile email");
        params.put("state", state);
        params.put("nonce", nonce);
        params.put("code_challenge", challenge(verifier));
        params.put("code_challenge_method", "S256");
        String sep = d.authorization().getQuery() == null ? "?" : "&";
        return new Start(URI.create(d.authorization() + sep + form(params)), state);
    }

    /**
     * Exchanges the code for tokens and verifies the ID token.
     *
     * @param cookieState the state bound to this browser at {@link #start}
     * @return the identity and where to go next
     * @throws ApiError ({@code unauthenticated}) when anything does not check out
     */
    Map.Entry<Identity, String> finish(String code, String state, String cookieState) {
        if (code == null || state == null || !state.equals(cookieState)) {
            throw unauthenticated("the sign-in response does not belong to this browser");
        }
        Pending p = pending.remove(state);
        if (p == null || p.expires().isBefore(clock.instant())) {
            throw unauthenticated("the sign-in took too long or was already used");
        }
        Discovery d = discovery();
        Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("grant_type", "authorization_code");
        params.put("code", code);
        params.put("redirect_uri", redirectUri().toString());
        params.put("client_id", config.oidcClientId);
        params.put("code_verifier", p.verifier());
        HttpRequest.Builder request = HttpRequest.newBuilder(d.token())
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (config.oidcClientSecret != null) {
            String basic = enc(config.oidcClientId) + ":" + enc(config.oidcClientSecret);
            request.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        JsonNode tokens;
        try {
            HttpResponse<String> response = http.send(
                    request.POST(HttpRequest.BodyPublishers.ofString(form(params)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw unauthenticated("the identity provider refused the code (HTTP " + response.statusCode() + ")");
            }
            tokens = json.readTree(response.body());
        } catch (IOException e) {
            throw unauthenticated("cannot reach the identity provider: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unauthenticated("interrupted");
        }
        String idToken = tokens.path("id_token").asText(null);
        if (idToken == null) {
            throw unauthenticated("the identity provider returned no ID token");
        }
        JWTClaimsSet claims;
        try {
            claims = d.processor().process(idToken, null);
        } catch (Exception e) {
            throw unauthenticated("the ID token did not verify: " + e.getMessage());
        }
        if (!p.nonce().equals(claims.getClaim("nonce"))) {
            throw unauthenticated("the ID token's nonce does not match this sign-in");
        }
        String name = firstString(claims, "preferred_username", "email", "sub");
        Map<String, Role> roles = new java.util.LinkedHashMap<>(config.oidcDefaultGrants.roles());
        Object claim = claims.getClaim(config.oidcRolesClaim);
        List<String> values = claim instanceof List<?> list
                ? list.stream().map(String::valueOf).collect(Collectors.toList())
                : claim == null ? List.of() : List.of(String.valueOf(claim));
        for (String value : values) {
            try {
                Grants.parse(value)
                        .roles()
                        .forEach((ns, role) -> roles.merge(ns, role, (a, b) -> a.includes(b) ? a : b));
            } catch (IllegalArgumentException e) {
                // an unrelated group in a shared claim: not a grant
            }
        }
        return Map.entry(new Identity(name, new Grants(roles), "oidc"), p.next());
    }

    private static String firstString(JWTClaimsSet claims, String... names) {
        for (String n : names) {
            Object v = claims.getClaim(n);
            if (v instanceof String s && !s.isBlank()) {
                return s;
            }
        }
        throw unauthenticated("the ID token names no user");
    }

    private Discovery discovery() {
        Discovery d = discovery;
        if (d != null) {
            return d;
        }
        synchronized (this) {
            if (discovery == null) {
                discovery = discover();
            }
            return discovery;
        }
    }

    private Discovery discover() {
        URI url = URI.create(config.oidcIssuer + "/.well-known/openid-configuration");
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(url)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new ApiError(
                        ApiError.Code.UNAVAILABLE,
                        "OIDC discovery at " + url + " answered HTTP " + response.statusCode(),
                        null);
            }
            JsonNode doc = json.readTree(response.body());
            String issuer = doc.path("issuer").asText();
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(
                            new URL(doc.path("jwks_uri").asText()))
                    .retrying(true)
                    .build();
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
            processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                    config.oidcClientId,
                    new JWTClaimsSet.Builder().issuer(issuer).build(),
                    new HashSet<>(List.of("sub", "exp", "iat", "nonce"))));
            return new Discovery(
                    issuer,
                    URI.create(doc.path("authorization_endpoint").asText()),
                    URI.create(doc.path("token_endpoint").asText()),
                    processor);
        } catch (IOException e) {
            throw new ApiError(
                    ApiError.Code.UNAVAILABLE,
                    "cannot reach the identity provider at " + url + ": " + e.getMessage(),
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(ApiError.Code.UNAVAILABLE, "interrupted", null);
        }
    }

    private static ApiError unauthenticated(String message) {
        return new ApiError(
                ApiError.Code.UNAUTHENTICATED, "sign-in failed: " + message, "start again from the sign-in page");
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
