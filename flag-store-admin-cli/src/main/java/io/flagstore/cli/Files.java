package io.flagstore.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** File input and output with operator-readable errors; output replaces the file atomically. */
final class Files {
    private Files() {}

    static String read(Path file) {
        try {
            return java.nio.file.Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.ERROR, "no such file: " + file, "check the path");
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot read " + file + ": " + e.getMessage(), null);
        }
    }

    /** Writes via a temporary file in the same directory, so a reader never sees half a file. */
    static void write(Path file, String content) {
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = java.nio.file.Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            java.nio.file.Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                java.nio.file.Files.move(
                        tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                java.nio.file.Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot write " + file + ": " + e.getMessage(), null);
        } finally {
            if (tmp != null) {
                try {
                    java.nio.file.Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and harmless
                }
            }
        }
    }
}
