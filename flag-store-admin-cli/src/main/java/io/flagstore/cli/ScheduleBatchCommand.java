package io.flagstore.cli;

import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.FlagJson;
import io.flagstore.redis.ScheduledChange;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code flagctl schedule batch -f FILE [--delete KEY]... --at TIME}: many flags in one later write. */
@Command(
        name = "batch",
        mixinStandardHelpOptions = true,
        description = {
            "At a later time, create or replace the flags in FILE and delete the --delete keys, in one write",
            "(one version, one message). FILE is a document like 'flagctl export' writes; flags only."
        })
final class ScheduleBatchCommand extends ScheduleWriteCommand {
    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "Flags to create or replace: {\"flags\":[...]}.")
    Path file;

    @Option(names = "--delete", paramLabel = "KEY", description = "A flag to delete (repeatable).")
    List<String> deletes = List.of();

    @Mixin
    AtOption when;

    @Override
    List<ScheduledChange> changes() {
        if (file == null && deletes.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give -f FILE, --delete KEY, or both");
        }
        FlagDocument doc = file == null ? null : FlagJson.readDocument(Files.read(file));
        if (doc != null && !doc.segments().isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(), "a scheduled batch writes flags only; " + file + " has segments");
        }
        return List.of(ScheduledChange.batch(doc == null ? List.of() : doc.flags(), deletes, when.at));
    }
}
