package io.flagstore.cli;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.CorruptKey;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flagctl delete KEY}: asks first unless {@code --yes}. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = {
            "Delete a flag: services then serve their code defaults for it.",
            "Asks for confirmation; without a terminal, --yes is required (exit 2 otherwise)."
        })
final class DeleteCommand extends WriteCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
    String key;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask.")
    boolean yes;

    @Override
    WriteResult write(FlagAdmin admin, WriteOptions ignored) {
        Flag flag;
        try {
            flag = admin.get(key).orElseThrow(() -> new FlagNotFoundException(key));
        } catch (InvalidFlagException e) {
            return deleteCorrupt(admin, e);
        }
        confirm("Delete flag '" + key + "' (version " + flag.version() + ", " + Formats.state(flag)
                + ") from namespace '" + connection.namespace + "'? Services will serve their code defaults.");
        // CAS against what was shown, so the confirmation cannot apply to a newer definition.
        return admin.delete(key, options.writeOptionsExpecting(flag.version()));
    }

    /** Deletes a flag key that cannot be read, compare-and-set against its index version when it has one. */
    private WriteResult deleteCorrupt(FlagAdmin admin, InvalidFlagException problem) {
        long version = admin.contents().corrupt().stream()
                .filter(c -> c.kind().equals("flag") && c.key().equals(key))
                .mapToLong(CorruptKey::version)
                .findFirst()
                .orElse(0);
        confirm("Delete corrupt flag '" + key + "' (" + String.join("; ", problem.problems()) + ") from namespace '"
                + connection.namespace + "'?");
        return admin.delete(key, version > 0 ? options.writeOptionsExpecting(version) : options.writeOptions());
    }

    private void confirm(String question) {
        if (yes) {
            return;
        }
        Prompt prompt = ((Flagctl) spec.root().userObject()).prompt();
        if (!prompt.interactive()) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "refusing to delete '" + key + "' without confirmation: there is no terminal to ask",
                    "add --yes to delete without asking");
        }
        if (!prompt.confirm(question)) {
            throw new CliException(ExitCodes.ERROR, "aborted: nothing deleted", null);
        }
    }

    @Override
    String summary(WriteResult result) {
        return "deleted " + key;
    }
}
