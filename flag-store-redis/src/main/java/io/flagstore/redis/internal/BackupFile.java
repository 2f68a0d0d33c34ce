package io.flagstore.redis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.Segment;
import io.flagstore.core.spi.FlagData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local backup of a source's flag set: a FlagJson document ({@code {"flags":[...],
 * "segments":[...]}}, so {@code flagctl apply --reseed} can restore a namespace from it) plus {@code
 * version}, {@code epoch}, {@code namespace} and {@code savedAt}. Written atomically (temporary file
 * in the same directory, fsync, rename), so a reader never sees half a file.
 */
public final class BackupFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a backup holds.
     *
     * @param namespace the namespace the set belongs to
     * @param epoch the namespace epoch the set belongs to
     * @param data the flag set and its namespace version
     * @param savedAt when it was written, or {@code null}
     */
    public record Content(String namespace, String epoch, FlagData data, Instant savedAt) {}

    private BackupFile() {}

    /** Writes {@code data} to {@code file}, replacing it whole. */
    public static void write(Path file, String namespace, String epoch, FlagData data) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("namespace", namespace);
        root.put("epoch", epoch);
        root.put("version", data.version());
        root.put("savedAt", Instant.now().toString());
        ArrayNode flags = root.putArray("flags");
        data.flags().values().forEach(f -> flags.add(FlagJson.toTree(f)));
        ArrayNode segments = root.putArray("segments");
        data.segments().values().forEach(s -> segments.add(FlagJson.segmentToTree(s)));
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a backup.
     *
     * @throws IOException when the file cannot be read or is not a backup (the message says why)
     */
    public static Content read(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (root == null
                || !root.path("version").canConvertToLong()
                || !root.path("epoch").isTextual()) {
            throw new IOException(file + " is not a flag-store backup (no version or epoch)");
        }
        try {
            FlagDocument document = FlagJson.readDocument(JSON.writeValueAsString(root));
            Map<String, Flag> flags = new LinkedHashMap<>();
            document.flags().forEach(f -> flags.put(f.key(), f));
            Map<String, Segment> segments = new LinkedHashMap<>();
            document.segments().forEach(s -> segments.put(s.key(), s));
            Instant savedAt = root.path("savedAt").isTextual()
                    ? Instant.parse(root.get("savedAt").asText())
                    : null;
            return new Content(
                    root.get("namespace").asText(),
                    root.get("epoch").asText(),
                    new FlagData(root.get("version").asLong(), flags, segments),
                    savedAt);
        } catch (RuntimeException e) {
            throw new IOException(file + " holds an invalid flag document: " + e.getMessage(), e);
        }
    }
}
