package io.flagstore.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The package boundaries of the style guide, checked on flag-store-core's production classes. */
class ArchitectureTest {
    private static final String INTERNAL = "io.flagstore.core.internal..";

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.flagstore.core");

    @Test
    void coreKnowsNothingOfRedisOrTheCli() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.lettuce..", "io.flagstore.redis..", "io.flagstore.cli..", "picocli..")
                .check(CORE);
    }

    @Test
    void theEvaluatorDoesNoIoLoggingOrMetrics() {
        noClasses()
                .that()
                .resideInAPackage(INTERNAL)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.micrometer..", "java.io..", "java.nio.file..", "java.net..")
                .orShould()
                .dependOnClassesThat()
                .belongToAnyOf(System.Logger.class, java.util.logging.Logger.class)
                .because("the evaluator is a pure function: snapshot + key + context -> result")
                .check(CORE);
    }

    @Test
    void theModelDoesNotUseInternalsExceptTheSemVerHelper() {
        noClasses()
                .that()
                .resideInAPackage("io.flagstore.core.model..")
                .should()
                .dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "reside in io.flagstore.core.internal other than SemVer",
                        (JavaClass c) -> c.getPackageName().startsWith("io.flagstore.core.internal")
                                && !c.getName().startsWith("io.flagstore.core.internal.SemVer")))
                .check(CORE);
    }

    @Test
    void theSpiAndModelDoNotDependOnTheClient() {
        noClasses()
                .that()
                .resideInAnyPackage("io.flagstore.core.model..", "io.flagstore.core.spi..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.flagstore.core.metrics..", "io.flagstore.core.testing..", "io.micrometer..")
                .check(CORE);
    }

    @Test
    void onlyTheTestSupportUsesJunit() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.flagstore.core.testing..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.junit..")
                .because("JUnit is an optional dependency of core")
                .check(CORE);
    }

    @Test
    void publicApiDoesNotExposeInternalTypes() {
        classes()
                .that()
                .arePublic()
                .and()
                .resideOutsideOfPackage(INTERNAL)
                .should(new ArchCondition<JavaClass>("expose no io.flagstore.core.internal type in public signatures") {
                    @Override
                    public void check(JavaClass type, ConditionEvents events) {
                        for (JavaCodeUnit member : type.getCodeUnits()) {
                            if (member.getModifiers().contains(JavaModifier.PUBLIC)) {
                                List<JavaClass> used = new ArrayList<>(member.getRawParameterTypes());
                                used.add(member.getRawReturnType());
                                report(member.getFullName(), used, events);
                            }
                        }
                        for (JavaField field : type.getFields()) {
                            if (field.getModifiers().contains(JavaModifier.PUBLIC)) {
                                report(field.getFullName(), List.of(field.getRawType()), events);
                            }
                        }
                    }
                })
                .check(CORE);
    }

    private static void report(String member, List<JavaClass> types, ConditionEvents events) {
        for (JavaClass used : types) {
            if (used.getPackageName().startsWith("io.flagstore.core.internal")) {
                events.add(SimpleConditionEvent.violated(used, member + " exposes " + used.getName()));
            }
        }
    }
}
