package io.sluice.operator.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestDirectoryTest {
    @TempDir
    Path dir;

    private ManifestSet load() throws Exception {
        return new ManifestDirectory(dir, new KubernetesSerialization()).load();
    }

    @Test
    void readsMultiDocumentFilesLikeKubectlApply() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: demo}
                spec:
                  ports: [{name: http, port: 80, targetPort: 8080}]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: web-1
                  namespace: demo
                  labels: {kubernetes.io/service-name: web}
                addressType: IPv4
                endpoints: [{addresses: ["127.0.0.1"]}]
                ports: [{name: http, port: 18080}]
                ---
                """);
        Files.writeString(dir.resolve("b.yml"), """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web, namespace: demo}
                spec:
                  rules: [{host: a.test}]
                """);
        Files.writeString(dir.resolve("notes.txt"), "not a manifest");

        ManifestSet set = load();

        assertThat(set.problems()).isEmpty();
        assertThat(set.objects()).extracting(HasMetadata::getClass)
                .containsExactly(Service.class, EndpointSlice.class, Ingress.class);
    }

    @Test
    void aBrokenDocumentNamesFileObjectAndFieldAndTheOthersStillLoad() throws Exception {
        Files.writeString(dir.resolve("broken.yaml"), """
                apiVersion: v1
                kind: Service
                metadata: {name: ok, namespace: demo}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: bad, namespace: demo}
                spec:
                  ports: [{port: "not-a-number"}]
                ---
                kind: Service
                metadata: {name: nokind}
                """);

        ManifestSet set = load();

        assertThat(set.objects()).extracting(o -> o.getMetadata().getName()).containsExactly("ok");
        assertThat(set.problems()).hasSize(2);
        ManifestProblem first = set.problems().get(0);
        assertThat(first.file()).isEqualTo(dir.resolve("broken.yaml"));
        assertThat(first.document()).isEqualTo(2);
        assertThat(first.object()).isEqualTo("Service demo/bad");
        assertThat(first.field()).isEqualTo("spec.ports[0].port");
        assertThat(first.toString()).contains("broken.yaml", "document 2", "Service demo/bad", "spec.ports[0].port");
        assertThat(set.problems().get(1).message()).contains("apiVersion and kind are required");
    }

    @Test
    void invalidYamlIsReportedWithItsFile() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "apiVersion: v1\nkind: [unclosed\n");
        ManifestSet set = load();
        assertThat(set.objects()).isEmpty();
        assertThat(set.problems()).singleElement()
                .satisfies(p -> assertThat(p.toString()).contains("bad.yaml", "not valid YAML"));
    }
}
