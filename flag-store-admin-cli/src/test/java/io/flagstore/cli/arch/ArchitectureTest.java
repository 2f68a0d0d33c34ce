package io.flagstore.cli.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** The boundaries of flagctl, checked on flag-store-admin-cli's production classes. */
class ArchitectureTest {
    private static final JavaClasses CLI = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.flagstore.cli");

    @Test
    void theCliUsesOnlyThePublicAdminLibrary() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.flagstore.redis.internal..", "io.flagstore.core.internal..")
                .because("the CLI writes and reads only through FlagAdmin and the public model")
                .check(CLI);
    }

    @Test
    void onlyTheErrorHandlerKnowsLettuce() {
        noClasses()
                .that()
                .doNotHaveSimpleName("ErrorHandler")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.lettuce..")
                .because("commands talk to FlagAdmin; only the error report looks at Lettuce's exceptions")
                .check(CLI);
    }

    @Test
    void subcommandsAreCallablesAndNotPublic() {
        classes()
                .that()
                .haveSimpleNameEndingWith("Command")
                .and()
                .areNotInterfaces()
                .should()
                .beAssignableTo(Callable.class)
                .andShould()
                .notBePublic()
                .check(CLI);
    }
}
