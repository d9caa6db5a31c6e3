package io.sluice.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Translation stays pure: no client calls, no operator framework, no sockets, no Netty. */
@AnalyzeClasses(packages = "io.sluice.operator", importOptions = ImportOption.DoNotIncludeTests.class)
class OperatorLayeringTest {

    @ArchTest
    static final ArchRule translationIsPure = noClasses().that().resideInAPackage("io.sluice.operator.translate..")
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "io.javaoperatorsdk..",
                    "io.fabric8.kubernetes.client.dsl..", "io.fabric8.kubernetes.client.informers..", "java.net..",
                    "java.nio.channels..", "java.nio.file..");

    /** Reconcilers only signal and hand out caches: no sockets, no pushing, no status or snapshot code. */
    @ArchTest
    static final ArchRule reconcilersOnlySignal = noClasses().that().resideInAPackage("io.sluice.operator.reconcile..")
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "java.net..", "java.nio.channels..",
                    "io.sluice.operator.push..", "io.sluice.operator.run..", "io.sluice.operator.status..",
                    "io.sluice.snapshot..");

    @ArchTest
    static final ArchRule resourcesDoNotKnowTheTranslator = noClasses().that()
            .resideInAPackage("io.sluice.operator.crd..")
            .should().dependOnClassesThat().resideInAPackage("io.sluice.operator.translate..");
}
