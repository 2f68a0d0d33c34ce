package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/cli.md and {@code flagctl --help} list the exit codes of {@link ExitCodes#TABLE}, in the same words. */
class ExitCodesDocTest {
    private static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\| (.+) \\|$", Pattern.MULTILINE);

    @Test
    void theDocsListEveryCodeWithTheMeaningFromTheTable() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "cli.md"));
        String section = docs.substring(docs.indexOf("## Errors and exit codes"), docs.indexOf("## Start-up time"));
        Map<Integer, String> documented = new LinkedHashMap<>();
        Matcher row = ROW.matcher(section);
        while (row.find()) {
            documented.put(Integer.parseInt(row.group(1)), row.group(2));
        }

        assertThat(documented.keySet()).containsExactlyElementsOf(ExitCodes.TABLE.keySet());
        ExitCodes.TABLE.forEach((code, meaning) -> assertThat(documented.get(code))
                .as("docs/cli.md, exit code %d", code)
                .startsWith(meaning));
    }

    @Test
    void helpListsEveryCodeWithItsMeaning() {
        String help = Cli.run("--help").out().replaceAll("\\s+", " ");

        ExitCodes.TABLE.forEach(
                (code, meaning) -> assertThat(help).as("exit code %d", code).contains(code + " " + meaning));
    }
}
