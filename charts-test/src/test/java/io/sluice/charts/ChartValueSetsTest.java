package io.sluice.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The chart renders for the value sets users pick (files under src/test/resources/values) and honours them. */
class ChartValueSetsTest {

  private final ChartRenderer renderer = new ChartRenderer(RepositoryLayout.fromSystemProperty().chart());

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
}
