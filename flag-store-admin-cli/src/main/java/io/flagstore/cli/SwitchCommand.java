package io.flagstore.cli;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.redis.CorruptKey;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** Turns one flag, or every flag with a tag (one atomic batch), on or off. */
abstract class SwitchCommand extends WriteCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "KEY", description = "The flag.")
    String key;

    @Option(
            names = "--tag",
            paramLabel = "TAG",
            description = "Instead of KEY: every flag with this tag, in one atomic write (one version).")
    String tag;

    /** The state this command sets. */
    abstract boolean enabled();

    @Override
    void validate() {
        if ((key == null) == (tag == null)) {
            throw new ParameterException(spec.commandLine(), "give either a flag KEY or --tag TAG");
        }
        if (tag != null && options.expectVersion != null) {
            throw new ParameterException(spec.commandLine(), "--expect-version takes one flag KEY, not --tag");
        }
    }

    @Override
    WriteResult write(FlagAdmin admin, WriteOptions writeOptions) {
        if (key != null) {
            return enabled() ? admin.enable(key, writeOptions) : admin.disable(key, writeOptions);
        }
        List<CorruptKey> unreadable = admin.contents().corrupt().stream()
                .filter(c -> c.kind().equals("flag"))
                .toList();
        try {
            WriteResult result = admin.setEnabledByTag(tag, enabled(), writeOptions);
            if (!unreadable.isEmpty()) {
                ErrorHandler.warn(
                        spec.commandLine().getErr(),
                        Formats.plural(unreadable.size(), "flag") + " could not be read, so whether they"
                                + " have the tag is unknown and they were not switched: "
                                + Corruption.describe(unreadable),
                        Corruption.HINT.replace("ROOT", spec.root().name()));
            }
            return result;
        } catch (FlagNotFoundException e) {
            throw new CliException(
                    unreadable.isEmpty() ? ExitCodes.NOT_FOUND : ExitCodes.CORRUPT,
                    "no readable flag has the tag '" + tag + "'"
                            + (unreadable.isEmpty() ? "" : "; unreadable: " + Corruption.describe(unreadable)),
                    unreadable.isEmpty()
                            ? "'" + spec.root().name() + " list' shows the flags and their tags"
                            : Corruption.HINT.replace("ROOT", spec.root().name()));
        }
    }

    @Override
    String summary(WriteResult result) {
        String what = key != null ? key : Formats.plural(result.keys().size(), "flag") + " tagged " + tag;
        return (enabled() ? "enabled " : "disabled ") + what;
    }
}
