package io.flagstore.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The users file and the tokens file share one format: one entry per line, {@code name secret
 * grants} separated by whitespace, {@code #} comments and blank lines ignored. For users the secret
 * is a {@link PasswordHash}; for tokens it is the SHA-256 of the token in hex ({@link ApiTokens}).
 * Neither file holds anything that logs in by itself.
 *
 * <pre>
 * # name   secret                              grants
 * alice    pbkdf2-sha256:600000:...:...        admin@*
 * bob      pbkdf2-sha256:600000:...:...        operator@prod,viewer@staging
 * </pre>
 */
final class CredentialFile {
    /** One line: who, the stored secret, what they may do. */
    record Entry(String name, String secret, Grants grants) {}

    private CredentialFile() {}

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming the file and line of a malformed entry
     * @throws UncheckedIOException if the file cannot be read
     */
    static Map<String, Entry> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 3);
            try {
                if (parts.length != 3) {
                    throw new IllegalArgumentException("expected 'name secret grants'");
                }
                if (entries.putIfAbsent(parts[0], new Entry(parts[0], parts[1], Grants.parse(parts[2]))) != null) {
                    throw new IllegalArgumentException("'" + parts[0] + "' appears twice");
                }
            } catch (IllegalArgumentException e) {
                // the message names the line, never its secret
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return entries;
    }
}
