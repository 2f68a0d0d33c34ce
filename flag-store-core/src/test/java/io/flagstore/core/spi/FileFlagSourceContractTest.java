package io.flagstore.core.spi;

import io.flagstore.core.FileFlagSource;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.FlagJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

class FileFlagSourceContractTest extends FlagSourceContract {
    @TempDir
    Path dir;

    private final Map<String, Flag> truth = new LinkedHashMap<>();

    @Override
    protected FlagSource newSource(List<Flag> initial) throws IOException {
        initial.forEach(flag -> truth.put(flag.key(), flag));
        save();
        return FileFlagSource.builder(file())
                .pollInterval(Duration.ofMillis(100))
                .debounce(Duration.ofMillis(10))
                .build();
    }

    @Override
    protected void write(List<Flag> upserts, List<String> deletes) throws IOException {
        upserts.forEach(flag -> truth.put(flag.key(), flag));
        deletes.forEach(truth::remove);
        save();
    }

    private Path file() {
        return dir.resolve("flags.json");
    }

    /** Replaces the file atomically, so one write is one change of the file. */
    private void save() throws IOException {
        Path temp = dir.resolve("flags.json.tmp");
        Files.writeString(temp, FlagJson.writeDocument(new FlagDocument(new ArrayList<>(truth.values()), List.of())));
        Files.move(temp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
