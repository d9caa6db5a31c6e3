package io.sluice.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed IngressRoute and TraefikService CRDs admit only the health-check schemes the proxy can probe with
 * ({@code http}, {@code https}), and keep the path, status and port bounds. Patterns are checked with RE2, the
 * syntax of the API server's engine.
 */
class HealthCheckCrdSchemaTest {

    private static JSONSchemaProps healthCheck(String crdFile, String... path) throws Exception {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(Path.of("..", "crds", crdFile)),
                CustomResourceDefinition.class);
        JSONSchemaProps schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
        for (String step : path) {
            schema = step.equals("[]") ? schema.getItems().getSchema() : schema.getProperties().get(step);
        }
        return schema.getProperties().get("healthCheck");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingressroutes.sluice.io-v1.yml", "traefikservices.sluice.io-v1.yml"})
    void schemeIsHttpOrHttpsAndBoundsAreKept(String crdFile) throws Exception {
        JSONSchemaProps check = crdFile.startsWith("ingressroutes")
                ? healthCheck(crdFile, "spec", "routes", "[]", "services", "[]")
                : healthCheck(crdFile, "spec", "weighted", "services", "[]");
        Pattern scheme = Pattern.compile(check.getProperties().get("scheme").getPattern());
        assertThat(scheme.matcher("http").matches()).isTrue();
        assertThat(scheme.matcher("https").matches()).isTrue();
        assertThat(scheme.matcher("ftp").find()).isFalse();
        assertThat(scheme.matcher("https ").find()).isFalse();
        assertThat(check.getRequired()).contains("path");
        assertThat(check.getProperties().get("status").getMaximum()).isEqualTo(599.0);
        assertThat(check.getProperties().get("port").getMaximum()).isEqualTo(65535.0);
    }
}
