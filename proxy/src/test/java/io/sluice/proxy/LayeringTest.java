package io.sluice.proxy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layering the style guide asks for, enforced. */
@AnalyzeClasses(packages = "io.sluice", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule snapshotModelIsPlain = noClasses().that().resideInAPackage("io.sluice.snapshot..")
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "io.fabric8..", "io.sluice.proxy..");

    @ArchTest
    static final ArchRule routerImportsNoNetty = noClasses().that().resideInAPackage("io.sluice.proxy.router..")
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..");

    @ArchTest
    static final ArchRule proxyNeverImportsFabric8 = noClasses().that().resideInAPackage("io.sluice.proxy..")
            .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..");
}
