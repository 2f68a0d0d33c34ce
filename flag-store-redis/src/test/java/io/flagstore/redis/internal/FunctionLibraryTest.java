package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The library code a load stores, built from what is loaded, without Redis. */
class FunctionLibraryTest {
    private static final FunctionLibrary A = new FunctionLibrary(List.of("source-head.lua"));
    private static final FunctionLibrary B = new FunctionLibrary(List.of("source-page.lua"));
    private static final FunctionLibrary C = new FunctionLibrary(List.of("source-sync.lua"));

    @Test
    void releasesAreNamedByTheirScriptsAndEveryFunctionIsNoWrites() {
        assertThat(List.of(A.release(), B.release(), C.release(), FunctionLibrary.READS.release()))
                .doesNotHaveDuplicates()
                .allMatch(r -> r.matches("[0-9a-f]{12}"));
        assertThat(new FunctionLibrary(List.of("source-head.lua")).release()).isEqualTo(A.release());
        String code = FunctionLibrary.READS.codeReplacing(null);
        assertThat(code).startsWith("#!lua name=flagstore\n");
        for (String script : FunctionLibrary.READ_SCRIPTS) {
            String function = FunctionLibrary.READS.functionName(LuaScript.load(script));
            assertThat(function).matches("flagstore_[0-9a-f]{12}_(head|sync|page)");
            assertThat(code).contains("function_name='" + function + "', flags={'no-writes'}");
        }
    }

    @Test
    void aLoadKeepsTheTwoNewestOtherReleasesAndNeverItsOwnTwice() {
        String ab = A.codeReplacing(B.codeReplacing(null)); // B loaded, then A
        String cab = C.codeReplacing(ab);
        String readsCab = FunctionLibrary.READS.codeReplacing(cab);

        assertThat(functions(readsCab))
                .containsExactly(
                        FunctionLibrary.READS.functionName(LuaScript.load("source-head.lua")),
                        FunctionLibrary.READS.functionName(LuaScript.load("source-sync.lua")),
                        FunctionLibrary.READS.functionName(LuaScript.load("source-page.lua")),
                        C.functionName(LuaScript.load("source-sync.lua")),
                        A.functionName(LuaScript.load("source-head.lua")));
        assertThat(FunctionLibrary.READS.codeReplacing(readsCab))
                .as("loading the newest again changes nothing")
                .isEqualTo(readsCab);
    }

    @Test
    void aForeignLibraryOfTheSameNameIsReplacedWhole() {
        String foreign = "#!lua name=flagstore\nredis.register_function('other', function() return 1 end)\n";

        assertThat(A.codeReplacing(foreign)).isEqualTo(A.codeReplacing(null));
    }

    @Test
    void aScriptOutsideTheLibraryIsRefusedNamingWhereToListIt() {
        assertThatThrownBy(() -> FunctionLibrary.READS.functionName(LuaScript.WRITE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("write.lua")
                .hasMessageContaining("READ_SCRIPTS");
    }

    private static List<String> functions(String code) {
        return Pattern.compile("function_name='([^']+)'")
                .matcher(code)
                .results()
                .map(m -> m.group(1))
                .toList();
    }
}
