package io.sluice.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionConditionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The existing-cluster side of {@link KubeApi}, with the mock API server standing in for the cluster (reached
 * through its kubeconfig, as {@code -Dsluice.e2e.kubeconfig} would): what the suite cleans up, and that CRDs are
 * waited for.
 */
class KubeApiTest {

    @Test
    void cleanupDeletesTheNamespacesAndClassesTheSuiteCreatedAndNothingElse(@TempDir Path dir) throws Exception {
        try (KubeApi mock = KubeApi.start(dir, "default"); KubeApi cluster = KubeApi.connect(mock.kubeconfig())) {
            assertThat(cluster.existingCluster()).isTrue();
            mock.client().resource(namespace("users-own")).create();
            mock.client().resource(ingressClass("theirs")).create();
            cluster.apply("""
                    apiVersion: v1
                    kind: Namespace
                    metadata: {name: suite-ns}
                    ---
                    apiVersion: networking.k8s.io/v1
                    kind: IngressClass
                    metadata: {name: other, labels: {team: e2e}}
                    spec: {controller: example.com/other-controller}
                    """);
            assertThat(cluster.client().network().v1().ingressClasses().withName("other").get().getMetadata()
                    .getLabels()).containsEntry(KubeApi.SUITE_LABEL, "true").containsEntry("team", "e2e");

            cluster.deleteSuiteObjects();

            assertThat(mock.client().namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
                    .contains("users-own").doesNotContain("suite-ns");
            assertThat(mock.client().network().v1().ingressClasses().list().getItems())
                    .extracting(c -> c.getMetadata().getName()).containsExactly("theirs");
        }
    }

    @Test
    void applyingTheCrdsWaitsUntilEachIsEstablished(@TempDir Path dir) throws Exception {
        List<String> ours = List.of("ingressroutes.sluice.io", "ingressroutetcps.sluice.io", "middlewares.sluice.io",
                "serverstransports.sluice.io", "tlsoptions.sluice.io", "traefikservices.sluice.io");
        try (KubeApi mock = KubeApi.start(dir, "default"); KubeApi cluster = KubeApi.connect(mock.kubeconfig())) {
            // the mock server never sets the status: play the API server's part a second after they appear
            CompletableFuture<Long> established = CompletableFuture.supplyAsync(() -> {
                try {
                    var crds = mock.client().apiextensions().v1().customResourceDefinitions();
                    while (crds.list().getItems().size() < ours.size()) {
                        TimeUnit.MILLISECONDS.sleep(50);
                    }
                    TimeUnit.SECONDS.sleep(1);
                    long settingStatus = System.nanoTime();
                    for (CustomResourceDefinition crd : crds.list().getItems()) {
                        crd.setStatus(new CustomResourceDefinitionStatusBuilder().withConditions(
                                new CustomResourceDefinitionConditionBuilder().withType("Established")
                                        .withStatus("True").build()).build());
                        mock.client().resource(crd).updateStatus();
                    }
                    return settingStatus;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });

            cluster.applyCrds(Path.of(System.getProperty("sluice.crds")));
            long returned = System.nanoTime();

            assertThat(returned).as("applyCrds returned only once the CRDs were being marked Established")
                    .isGreaterThanOrEqualTo(established.get(10, TimeUnit.SECONDS));
            assertThat(mock.client().apiextensions().v1().customResourceDefinitions().list().getItems())
                    .extracting(c -> c.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(ours);
        }
    }

    private static HasMetadata namespace(String name) {
        return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
                .build();
    }

    private static HasMetadata ingressClass(String name) {
        return new IngressClassBuilder().withNewMetadata()
                .withName(name).endMetadata().withNewSpec().withController("example.com/x").endSpec().build();
    }
}
