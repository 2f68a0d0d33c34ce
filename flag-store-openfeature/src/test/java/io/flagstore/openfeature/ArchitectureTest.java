package io.flagstore.openfeature;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The provider stands on the public flag-store API only, and shows only the provider itself. */
class ArchitectureTest {
    private static final JavaClasses PROVIDER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.flagstore.openfeature");

    @Test
    void usesNoFlagStoreInternalsAndNoRedis() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.flagstore..internal..", "io.flagstore.redis..", "io.lettuce..")
                .check(PROVIDER);
    }

    @Test
    void onlyTheProviderAndItsBuilderArePublic() {
        classes()
                .that()
                .arePublic()
                .should()
                .haveSimpleName("FlagStoreProvider")
                .orShould()
                .haveSimpleName("Builder")
                .check(PROVIDER);
    }
}
