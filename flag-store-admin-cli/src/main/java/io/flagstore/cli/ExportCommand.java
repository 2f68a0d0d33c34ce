package io.flagstore.cli;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.Segment;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.NamespaceContents;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flagctl export [-o FILE]}: every flag and segment as one JSON document. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Write every flag and segment as one JSON document (the input format of apply).")
final class ExportCommand extends ReadCommand {
    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write to FILE (atomically) instead of stdout.")
    Path output;

    @Override
    int run(FlagAdmin admin) {
        NamespaceContents contents = admin.contents();
        List<Flag> flags = contents.flags().stream()
                .sorted(Comparator.comparing(Flag::key))
                .toList();
        List<Segment> segments = contents.segments().stream()
                .sorted(Comparator.comparing(Segment::key))
                .toList();
        String document = Json.write(Json.read(FlagJson.writeDocument(new FlagDocument(flags, segments))), true);
        if (output == null) {
            out().println(document);
            out().flush();
            return incomplete(contents);
        }
        Files.write(output, document + System.lineSeparator());
        if (json) {
            var node = Json.object();
            node.put("file", output.toString());
            node.put("flags", flags.size());
            node.put("segments", segments.size());
            Json.print(out(), node);
        } else {
            out().println("exported " + Formats.plural(flags.size(), "flag") + " and "
                    + Formats.plural(segments.size(), "segment") + " to " + output);
            out().flush();
        }
        return incomplete(contents);
    }

    /** An export without the unreadable keys is not a whole backup: say which are missing. */
    private int incomplete(NamespaceContents contents) {
        if (contents.corrupt().isEmpty()) {
            return ExitCodes.OK;
        }
        throw new CliException(
                ExitCodes.CORRUPT,
                "the export lacks " + Formats.plural(contents.corrupt().size(), "key") + " that cannot be read: "
                        + Corruption.describe(contents.corrupt()),
                Corruption.HINT.replace("ROOT", spec.root().name()));
    }
}
