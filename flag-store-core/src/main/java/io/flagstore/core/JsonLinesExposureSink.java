package io.flagstore.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.flagstore.core.spi.Exposure;
import io.flagstore.core.spi.ExposureSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * An {@link ExposureSink} writing one JSON object per exposure and line, for log shippers (Fluent
 * Bit, Vector, Filebeat) to carry to a warehouse:
 *
 * <pre>{@code
 * {"type":"exposure","flag":"new-checkout","variant":"on","unit":"user-42","context":"user-42","run":"2027-01-04T09:00:00Z","at":"2027-01-04T09:15:02.120Z"}
 * }</pre>
 *
 * Each batch is written and flushed at once. Thread-safe (the client calls it from one thread
 * anyway); closing the writer is the caller's business, except for {@link #appendingTo(Path)}.
 */
public final class JsonLinesExposureSink implements ExposureSink, AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    private final Writer out;
    private final boolean owned;

    private JsonLinesExposureSink(Writer out, boolean owned) {
        this.out = out;
        this.owned = owned;
    }

    /** {@return a sink writing to {@code out} (UTF-8), such as {@code System.out}; the stream is not closed} */
    public static JsonLinesExposureSink to(OutputStream out) {
        return new JsonLinesExposureSink(
                new OutputStreamWriter(Objects.requireNonNull(out, "out"), StandardCharsets.UTF_8), false);
    }

    /** {@return a sink writing to {@code out}; the writer is not closed} */
    public static JsonLinesExposureSink to(Writer out) {
        return new JsonLinesExposureSink(Objects.requireNonNull(out, "out"), false);
    }

    /**
     * A sink appending to {@code file} (created if missing), closed by {@link #close()}.
     *
     * @throws UncheckedIOException if the file cannot be opened
     */
    public static JsonLinesExposureSink appendingTo(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            return new JsonLinesExposureSink(
                    Files.newBufferedWriter(
                            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                    true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + " for exposures: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void exposed(List<Exposure> exposures) {
        try {
            for (Exposure e : exposures) {
                try (JsonGenerator g = JSON.createGenerator(out)) {
                    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                    g.writeStartObject();
                    g.writeStringField("type", "exposure");
                    g.writeStringField("flag", e.flagKey());
                    g.writeStringField("variant", e.variant());
                    g.writeStringField("unit", e.unit());
                    g.writeStringField("context", e.contextKey());
                    g.writeStringField("run", e.run().toString());
                    g.writeStringField("at", e.at().toString());
                    g.writeEndObject();
                }
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write exposures: " + e.getMessage(), e);
        }
    }

    /** Closes the file of {@link #appendingTo(Path)}; does nothing for a caller's stream or writer. */
    @Override
    public synchronized void close() {
        if (owned) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public String toString() {
        return "JsonLinesExposureSink";
    }
}
