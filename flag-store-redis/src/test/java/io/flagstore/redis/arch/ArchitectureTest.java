package io.flagstore.redis.arch;

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
import io.flagstore.redis.internal.LuaScript;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The package boundaries of the style guide, checked on flag-store-redis's production classes. */
class ArchitectureTest {
    private static final String INTERNAL = "io.flagstore.redis.internal..";

    private static final JavaClasses REDIS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.flagstore.redis");

    @Test
    void redisKnowsNothingOfTheCli() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.flagstore.cli..", "picocli..")
                .check(REDIS);
    }

    @Test
    void theAdminScriptsAreRunOnlyByTheOneClassThatKnowsTheirArguments() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName("io.flagstore.redis.AdminScripts")
                .and()
                .doNotHaveFullyQualifiedName(LuaScript.class.getName())
                .should()
                .accessField(LuaScript.class, "WRITE")
                .orShould()
                .accessField(LuaScript.class, "SCHEDULE")
                .orShould()
                .accessField(LuaScript.class, "SETTLE_SCHEDULE")
                .orShould()
                .accessField(LuaScript.class, "PRUNE_CLIENTS")
                .because("the argument order of each admin script lives in one place")
                .check(REDIS);
    }

    @Test
    void theAdminsPartsArePackagePrivate() {
        classes()
                .that()
                .haveSimpleNameEndingWith("Pipeline")
                .or()
                .haveSimpleNameEndingWith("Scripts")
                .or()
                .haveSimpleNameEndingWith("Reader")
                .or()
                .haveSimpleName("Presence")
                .or()
                .haveSimpleName("AdminRedis")
                .or()
                .haveSimpleName("Reseed")
                .or()
                .haveSimpleName("HashVerifier")
                .should()
                .notBePublic()
                .because("FlagAdmin and FlagScheduler are the public face of the admin side")
                .check(REDIS);
    }

    @Test
    void theSchedulerWritesThroughThePipelineNotThroughTheFacade() {
        noClasses()
                .that()
                .haveFullyQualifiedName("io.flagstore.redis.FlagScheduler")
                .should()
                .callMethodWhere(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "a write method of FlagAdmin",
                        call -> call.getTargetOwner().getName().equals("io.flagstore.redis.FlagAdmin")
                                && call.getTarget().getReturnType().getName().equals("io.flagstore.redis.WriteResult")))
                .check(REDIS);
    }

    @Test
    void publicApiDoesNotExposeInternalTypes() {
        classes()
                .that()
                .arePublic()
                .and()
                .resideOutsideOfPackage(INTERNAL)
                .should(
                        new ArchCondition<JavaClass>(
                                "expose no io.flagstore.redis.internal type in public signatures") {
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
                .check(REDIS);
    }

    private static void report(String member, List<JavaClass> types, ConditionEvents events) {
        for (JavaClass used : types) {
            if (used.getPackageName().startsWith("io.flagstore.redis.internal")) {
                events.add(SimpleConditionEvent.violated(used, member + " exposes " + used.getName()));
            }
        }
    }
}
