package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.FlagGenerator;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.Segment;
import io.flagstore.core.spi.FlagData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupFileTest {
    @TempDir
    Path dir;

    @RepeatedTest(5)
    void roundTripsRandomFlagSetsAndLeavesNoTemporaryFile() throws IOException {
        long seed = new SplittableRandom().nextLong();
        FlagGenerator generator = new FlagGenerator(seed);
        Map<String, Flag> flags = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            Flag flag = generator.flag();
            flags.put(flag.key(), flag);
        }
        Segment segment = generator.segment();
        FlagData data = new FlagData(99, flags, Map.of(segment.key(), segment));
        Path file = dir.resolve("nested/backup.json");

        BackupFile.write(file, "prod", "epoch-1", data);
        BackupFile.Content read = BackupFile.read(file);

        assertThat(read.namespace()).isEqualTo("prod");
        assertThat(read.epoch()).isEqualTo("epoch-1");
        assertThat(read.savedAt()).isNotNull();
        assertThat(read.data()).as("seed %d", seed).isEqualTo(data);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void isAFlagDocumentThatApplyCanReSeedFrom() throws IOException {
        Path file = dir.resolve("backup.json");
        Flag flag = Flag.killSwitch("payments-api");
        BackupFile.write(file, "prod", "e", new FlagData(3, Map.of(flag.key(), flag), Map.of()));

        FlagDocument document = FlagJson.readDocument(Files.readString(file));

        assertThat(document.flags()).containsExactly(flag);
    }

    @Test
    void refusesAFileThatIsNotABackup() throws IOException {
        Path file = dir.resolve("flags.json");
        Files.writeString(file, "{\"flags\":[]}");

        assertThatThrownBy(() -> BackupFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not a flag-store backup");
    }

    @Test
    void refusesABackupWithAnInvalidFlag() throws IOException {
        Path file = dir.resolve("backup.json");
        Files.writeString(
                file,
                "{\"namespace\":\"p\",\"epoch\":\"e\",\"version\":1,\"flags\":[{\"key\":\"x\",\"type\":\"nope\"}]}");

        assertThatThrownBy(() -> BackupFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("invalid flag document");
    }
}
