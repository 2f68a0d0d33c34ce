package io.flagstore.console;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes for the users file: PBKDF2-HMAC-SHA256 (in the JDK, so no native dependency)
 * written {@code pbkdf2-sha256:<iterations>:<salt base64>:<hash base64>}. Verification takes the
 * same time whether the user exists or not ({@link #verifyNothing}), and compares in constant time.
 */
final class PasswordHash {
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    static final int ITERATIONS = 600_000;

    private static final String PREFIX = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DUMMY = hash("not a password".toCharArray());

    private PasswordHash() {}

    static String hash(char[] password) {
        return hash(password, ITERATIONS);
    }

    static String hash(char[] password, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return PREFIX + ":" + iterations + ":" + b64(salt) + ":" + b64(derive(password, salt, iterations));
    }

    /**
     * Whether {@code password} matches {@code encoded}.
     *
     * @throws IllegalArgumentException if {@code encoded} is not a hash this class wrote
     */
    static boolean verify(char[] password, String encoded) {
        String[] parts = encoded.split(":");
        if (parts.length != 4 || !parts[0].equals(PREFIX) || !parts[1].matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("not a " + PREFIX + " hash (run 'bin/console hash-password')");
        }
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        return MessageDigest.isEqual(expected, derive(password, salt, Integer.parseInt(parts[1])));
    }

    /** Spends the time of one verification, so that an unknown user name cannot be told apart by timing. */
    static void verifyNothing(char[] password) {
        verify(password, DUMMY);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Wipes a password from memory once it is no longer needed. */
    static void wipe(char[] password) {
        Arrays.fill(password, '\0');
    }
}
