package io.sluice.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The chart renders for the value sets users pick (files under src/test/resources/values, and the values
 * e2e/kind/run.sh installs with) and honours them.
 */
class ChartValueSetsTest {

  private final RepositoryLayout repository = RepositoryLayout.fromSystemProperty();
  private final ChartRenderer renderer = new ChartRenderer(repository.chart());

  @Test
  void daemonSetBehindNodePorts() {
    RenderedChart chart = renderer.render(TestValues.file("values/daemonset-nodeport.yaml"));

    assertThat(chart.find("Deployment", "sluice-proxy")).isEmpty();
    JsonNode daemonSet = chart.get("DaemonSet", "sluice-proxy");
    assertThat(daemonSet.path("spec").has("replicas")).isFalse();
    JsonNode pod = chart.podSpec("DaemonSet", "sluice-proxy");
    assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThan(35);
    ChartDefaultsTest.assertProbe(chart.container("DaemonSet", "sluice-proxy").path("readinessProbe"), "/ready",
        "health");

    JsonNode service = chart.get("Service", "sluice-proxy").path("spec");
    assertThat(service.path("type").asText()).isEqualTo("NodePort");
    assertThat(service.path("externalTrafficPolicy").asText()).isEqualTo("Local");
    assertThat(service.path("ports").get(0).path("nodePort").asInt()).isEqualTo(30080);
    assertThat(service.path("ports").get(1).path("nodePort").asInt()).isEqualTo(30443);
  }

  @Test
  void existingSecretReplacesTheGeneratedToken() {
    RenderedChart chart = renderer.render(TestValues.file("values/existing-secret.yaml"));

    assertThat(chart.ofKind("Secret")).isEmpty();
    for (String workload : new String[] {"sluice-operator", "sluice-proxy"}) {
      JsonNode secret = chart.podSpec("Deployment", workload).path("volumes").get(0).path("secret");
      assertThat(secret.path("secretName").asText()).isEqualTo("my-push-token");
      assertThat(secret.path("items").get(0).path("key").asText()).isEqualTo("push");
      assertThat(secret.path("items").get(0).path("path").asText()).isEqualTo("token");
    }
  }

  @Test
  void serviceMonitorsScrapeBothComponentsAndTheClassIsTheDefault() {
    RenderedChart chart = renderer.render(TestValues.file("values/service-monitor-default-class.yaml"));

    assertThat(chart.ofKind("ServiceMonitor")).hasSize(2);
    for (String component : new String[] {"operator", "proxy"}) {
      JsonNode monitor = chart.get("ServiceMonitor", "sluice-" + component);
      assertThat(monitor.path("metadata").path("labels").path("release").asText()).isEqualTo("prometheus");
      JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
      assertThat(endpoint.path("port").asText()).isEqualTo("metrics");
      assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");

      JsonNode service = chart.get("Service", "sluice-" + component + "-metrics");
      JsonNode selected = monitor.path("spec").path("selector").path("matchLabels");
      selected.fields().forEachRemaining(label -> assertThat(
          service.path("metadata").path("labels").path(label.getKey()).asText())
          .as("ServiceMonitor selects Service label %s", label.getKey()).isEqualTo(label.getValue().asText()));
      assertThat(service.path("spec").path("ports").get(0).path("port").asInt())
          .isEqualTo(component.equals("operator") ? 8081 : 9000);
    }
    assertThat(chart.get("Service", "sluice-proxy").path("metadata").path("labels").has("sluice.io/metrics"))
        .as("the traffic Service is not scraped").isFalse();

    JsonNode ingressClass = chart.get("IngressClass", "sluice");
    assertThat(ingressClass.path("metadata").path("annotations")
        .path("ingressclass.kubernetes.io/is-default-class").asText()).isEqualTo("true");

    JsonNode service = chart.get("Service", "sluice-proxy").path("spec");
    assertThat(service.path("type").asText()).isEqualTo("ClusterIP");
    assertThat(service.has("externalTrafficPolicy")).isFalse();
  }

  /**
   * e2e/kind/values.yaml, exactly as run.sh passes it: the images kind loaded (never pulled), the web NodePort that
   * cluster.yaml publishes on the host, and the pod label and port name run.sh port-forwards to; the echo backends
   * in backends.yaml run the same operator image.
   */
  @Test
  void kindValuesInstallTheLoadedImagesBehindThePublishedNodePort() throws Exception {
    Path kind = repository.kind();
    RenderedChart chart = renderer.render(kind.resolve("values.yaml"));

    JsonNode operator = chart.container("Deployment", "sluice-operator");
    assertThat(operator.path("image").asText()).isEqualTo("sluice.test/sluice-operator:e2e");
    assertThat(operator.path("imagePullPolicy").asText()).isEqualTo("Never");
    JsonNode proxy = chart.container("Deployment", "sluice-proxy");
    assertThat(proxy.path("image").asText()).isEqualTo("sluice.test/sluice-proxy:e2e");
    assertThat(proxy.path("imagePullPolicy").asText()).isEqualTo("Never");
    assertThat(proxy.path("ports")).anyMatch(p -> p.path("name").asText().equals("web"));
    assertThat(chart.get("Deployment", "sluice-proxy").path("spec").path("template").path("metadata")
        .path("labels").path("app.kubernetes.io/component").asText()).isEqualTo("proxy");

    JsonNode service = chart.get("Service", "sluice-proxy").path("spec");
    assertThat(service.path("type").asText()).isEqualTo("NodePort");
    int nodePort = service.path("ports").get(0).path("nodePort").asInt();
    RenderedChart cluster = RenderedChart.parse(Files.readString(kind.resolve("cluster.yaml")));
    JsonNode mapping = cluster.objects().get(0).path("nodes").get(0).path("extraPortMappings").get(0);
    assertThat(mapping.path("containerPort").asInt()).as("cluster.yaml maps the web NodePort").isEqualTo(nodePort);
    assertThat(mapping.path("hostPort").asInt()).as("run.sh's SMOKE_PORT default").isEqualTo(30080);

    RenderedChart backends = RenderedChart.parse(Files.readString(kind.resolve("backends.yaml")));
    assertThat(backends.ofKind("Deployment")).hasSize(2).allSatisfy(deployment -> {
      JsonNode echo = deployment.path("spec").path("template").path("spec").path("containers").get(0);
      assertThat(echo.path("image").asText()).isEqualTo(operator.path("image").asText());
      assertThat(echo.path("imagePullPolicy").asText()).isEqualTo("Never");
      assertThat(echo.path("args").get(0).asText()).isEqualTo("echo");
    });
  }
}
