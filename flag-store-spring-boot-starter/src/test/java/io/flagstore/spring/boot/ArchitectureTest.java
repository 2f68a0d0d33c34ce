package io.flagstore.spring.boot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.ComponentScan;

/** The starter stands on the public API of core and redis, and follows Boot's auto-configuration rules. */
class ArchitectureTest {
    private static final JavaClasses STARTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.flagstore.spring");

    @Test
    void usesNoFlagStoreInternalsAndNoLettuce() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.flagstore..internal..", "io.lettuce..")
                .check(STARTER);
    }

    @Test
    void autoConfigurationsAreNamedSoAndScanNothing() {
        classes()
                .that()
                .areAnnotatedWith(AutoConfiguration.class)
                .should()
                .haveSimpleNameEndingWith("AutoConfiguration")
                .check(STARTER);
        noClasses().should().beAnnotatedWith(ComponentScan.class).check(STARTER);
    }
}
