package io.flagstore.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * API tokens for automation ({@code Authorization: Bearer fst_...}). The tokens file ({@link
 * CredentialFile}) stores only the SHA-256 of each token: tokens are 256 random bits, so a fast
 * hash is enough, and a leaked file does not let anyone in.
 */
final class ApiTokens {
    static final String PREFIX = "fst_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, CredentialFile.Entry> byHash;

    ApiTokens(Map<String, CredentialFile.Entry> entries) {
        java.util.Map<String, CredentialFile.Entry> index = new java.util.HashMap<>();
        entries.values().forEach(e -> index.put(e.secret().toLowerCase(java.util.Locale.ROOT), e));
        this.byHash = Map.copyOf(index);
    }

    static ApiTokens none() {
        return new ApiTokens(Map.of());
    }

    /** The identity of {@code token}, or empty when it is not one of ours. */
    Optional<Identity> authenticate(String token) {
        CredentialFile.Entry entry = byHash.get(sha256(token));
        return entry == null ? Optional.empty() : Optional.of(new Identity(entry.name(), entry.grants(), "token"));
    }

    /** A new random token. */
    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The hex SHA-256 of {@code token}, as the tokens file stores it. */
    static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
