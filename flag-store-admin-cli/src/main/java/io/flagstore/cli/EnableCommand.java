package io.flagstore.cli;

import picocli.CommandLine.Command;

/** {@code flagctl enable KEY | --tag T}. */
@Command(
        name = "enable",
        mixinStandardHelpOptions = true,
        description =
                "Turn a flag on (or every flag with --tag, atomically): it serves its targets, rules and fallthrough.")
final class EnableCommand extends SwitchCommand {
    @Override
    boolean enabled() {
        return true;
    }
}
