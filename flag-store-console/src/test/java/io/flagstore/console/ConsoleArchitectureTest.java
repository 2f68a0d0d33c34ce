package io.flagstore.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The console's boundaries, checked on its production classes. */
class ConsoleArchitectureTest {
    private static final JavaClasses CONSOLE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.flagstore.console");

    @Test
    void talksToRedisOnlyThroughTheAdminLibraryAndTheFlagSource() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.lettuce..", "io.flagstore.redis.internal..", "io.flagstore.cli..")
                .check(CONSOLE);
    }

    @Test
    void theViewRecordsKnowNothingOfTheWebFrameworkOrRedis() {
        noClasses()
                .that()
                .resideInAPackage("io.flagstore.console.view..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.javalin..", "io.flagstore.redis..", "io.flagstore.console")
                .check(CONSOLE);
    }

    @Test
    void onlyTheEntryPointsArePublic() {
        classes()
                .that()
                .resideInAPackage("io.flagstore.console")
                .and()
                .arePublic()
                .should()
                .haveSimpleNameStartingWith("Console")
                .check(CONSOLE);
    }
}
