package io.flagstore.cli;

import picocli.CommandLine.Command;

/** {@code flagctl disable KEY | --tag T}: the kill switch; waits for the fleet by default. */
@Command(
        name = "disable",
        mixinStandardHelpOptions = true,
        description = {
            "Turn a flag off (or every flag with --tag, atomically): everyone gets its off variant.",
            "Waits until every live service instance applied it (--no-wait to skip)."
        })
final class DisableCommand extends SwitchCommand {
    @Override
    boolean enabled() {
        return false;
    }

    @Override
    boolean waitByDefault() {
        return true;
    }
}
