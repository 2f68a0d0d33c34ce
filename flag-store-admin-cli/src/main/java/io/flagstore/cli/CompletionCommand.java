package io.flagstore.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code flagctl completion}: the bash/zsh completion script. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Print the bash/zsh completion script.",
            "Install it with:",
            "  source <(flagctl completion)        # this shell",
            "  flagctl completion > /etc/bash_completion.d/flagctl"
        })
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine()
                .getOut()
                .print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
