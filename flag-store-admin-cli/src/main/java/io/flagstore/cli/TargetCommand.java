package io.flagstore.cli;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code flagctl target KEY VARIANT add|remove KEYS...}: individual targets. */
@Command(
        name = "target",
        mixinStandardHelpOptions = true,
        description = {
            "Add or remove context keys (users, tenants...) that always get VARIANT while the flag is on.",
            "Read-modify-write with compare-and-set: a concurrent change is a conflict (exit 4), not lost."
        })
final class TargetCommand extends WriteCommand {
    enum Action {
        add,
        remove
    }

    @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
    String key;

    @Parameters(index = "1", paramLabel = "VARIANT", description = "The variant they get.")
    String variant;

    @Parameters(index = "2", paramLabel = "add|remove", description = "add or remove.")
    Action action;

    @Parameters(index = "3..*", arity = "1..*", paramLabel = "CONTEXT_KEY", description = "Context keys.")
    List<String> contextKeys;

    @Override
    WriteResult write(FlagAdmin admin, WriteOptions ignored) {
        Flag flag = admin.get(key).orElseThrow(() -> new FlagNotFoundException(key));
        Set<String> targets = new LinkedHashSet<>(flag.targets().getOrDefault(variant, List.of()));
        boolean changed = action == Action.add ? targets.addAll(contextKeys) : targets.removeAll(contextKeys);
        if (!changed) {
            if (!options.json) {
                out().println("nothing to change: " + key + " already "
                        + (action == Action.add ? "targets" : "does not target") + " those keys with " + variant
                        + " (version " + flag.version() + ")");
                out().flush();
            }
            return null;
        }
        return admin.setTargets(key, variant, new ArrayList<>(targets), options.writeOptionsExpecting(flag.version()));
    }

    @Override
    String summary(WriteResult result) {
        return (action == Action.add ? "added " : "removed ") + Formats.plural(contextKeys.size(), "target")
                + (action == Action.add ? " to " : " from ") + key + " " + variant;
    }
}
