package io.sluice.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default install: pod security, the proxy's lack of API access, probes on the documented ports, the drain
 * grace period, the push credential and the NetworkPolicy guarding the push port.
 */
class ChartDefaultsTest {

  private static RenderedChart chart;

  @BeforeAll
  static void render() {
    chart = new ChartRenderer(RepositoryLayout.fromSystemProperty().chart()).render();
  }

  @Test
  void everyContainerRunsRestricted() {
    for (String[] workload : workloads()) {
      JsonNode pod = chart.podSpec(workload[0], workload[1]);
      assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(workload[1]).isTrue();
      assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
      for (JsonNode container : pod.path("containers")) {
        JsonNode security = container.path("securityContext");
        assertThat(security.path("runAsNonRoot").asBoolean()).as(workload[1]).isTrue();
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(workload[1]).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean()).as(workload[1]).isFalse();
        assertThat(texts(security.path("capabilities").path("drop"))).as(workload[1]).containsExactly("ALL");
        assertThat(security.path("capabilities").has("add")).isFalse();
        assertThat(security.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
        assertThat(container.path("resources").path("requests").path("memory").asText()).isNotEmpty();
        assertThat(container.path("resources").path("limits").path("memory").asText()).isNotEmpty();
      }
    }
  }

  @Test
  void proxyHasNoKubernetesApiAccess() {
    JsonNode pod = chart.podSpec("Deployment", "sluice-proxy");
    assertThat(pod.path("automountServiceAccountToken").isBoolean()).isTrue();
    assertThat(pod.path("automountServiceAccountToken").asBoolean()).isFalse();
    String account = pod.path("serviceAccountName").asText();
    assertThat(account).isEqualTo("sluice-proxy");
    assertThat(chart.get("ServiceAccount", account).path("automountServiceAccountToken").asBoolean(true)).isFalse();
    for (String kind : List.of("RoleBinding", "ClusterRoleBinding")) {
      for (JsonNode binding : chart.ofKind(kind)) {
        for (JsonNode subject : binding.path("subjects")) {
          assertThat(subject.path("name").asText()).as("%s binds the proxy", kind).isNotEqualTo(account);
        }
      }
    }
  }

  @Test
  void proxyProbesAndArgumentsUseTheDocumentedPorts() {
    JsonNode proxy = chart.container("Deployment", "sluice-proxy");
    assertThat(namedPorts(proxy)).containsExactly("web=8080", "websecure=8443", "health=9000", "push=9443");
    assertProbe(proxy.path("livenessProbe"), "/live", "health");
    assertProbe(proxy.path("readinessProbe"), "/ready", "health");
    assertThat(proxy.has("command")).as("the image entrypoint starts the proxy").isFalse();
    assertThat(String.join(" ", texts(proxy.path("args"))))
        .contains("--web-port 8080", "--websecure-port 8443", "--health-port 9000", "--push-port 9443",
            "--push-token-file /var/run/sluice/push-token/token",
            "--last-known-good /var/lib/sluice/last-known-good.json", "--drain-delay 5s", "--drain-timeout 30s");
    assertThat(mountPaths(proxy)).contains("/var/run/sluice/push-token", "/var/lib/sluice", "/tmp");
  }

  @Test
  void operatorProbesAndArgumentsUseTheDocumentedPorts() {
    JsonNode deployment = chart.get("Deployment", "sluice-operator");
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
    JsonNode operator = chart.container("Deployment", "sluice-operator");
    assertThat(namedPorts(operator)).containsExactly("health=8081");
    assertProbe(operator.path("livenessProbe"), "/live", "health");
    assertProbe(operator.path("readinessProbe"), "/ready", "health");
    assertThat(operator.has("command")).as("the image entrypoint starts the operator").isFalse();
    assertThat(texts(operator.path("args")).get(0)).isEqualTo("run");
    assertThat(String.join(" ", texts(operator.path("args"))))
        .contains("--proxy-admin-service sluice-system/sluice-proxy-admin",
            "--publish-service sluice-system/sluice-proxy", "--ingress-class sluice",
            "--push-token-file /var/run/sluice/push-token/token", "--leader-election-namespace sluice-system",
            "--health-port 8081")
        .doesNotContain("--watch-namespaces", "--allow-cross-namespace");
    assertThat(chart.podSpec("Deployment", "sluice-operator").path("serviceAccountName").asText())
        .isEqualTo("sluice-operator");
  }

  @Test
  void imagesAreTaggedWithTheAppVersion() {
    assertThat(chart.container("Deployment", "sluice-operator").path("image").asText())
        .isEqualTo("ghcr.io/sluice-io/sluice-operator:0.1.0");
    assertThat(chart.container("Deployment", "sluice-proxy").path("image").asText())
        .isEqualTo("ghcr.io/sluice-io/sluice-proxy:0.1.0");
  }

  @Test
  void gracePeriodOutlastsTheDrain() {
    int grace = chart.podSpec("Deployment", "sluice-proxy").path("terminationGracePeriodSeconds").asInt();
    assertThat(grace).isGreaterThan(5 + 30);
  }

  @Test
  void servicesExposeTrafficAndListNotReadyProxiesToTheOperator() {
    JsonNode traffic = chart.get("Service", "sluice-proxy").path("spec");
    assertThat(traffic.path("type").asText()).isEqualTo("LoadBalancer");
    assertThat(servicePorts(traffic)).containsExactly("web:80->web", "websecure:443->websecure");

    JsonNode admin = chart.get("Service", "sluice-proxy-admin").path("spec");
    assertThat(admin.path("clusterIP").asText()).isEqualTo("None");
    assertThat(admin.path("publishNotReadyAddresses").asBoolean()).isTrue();
    assertThat(servicePorts(admin)).containsExactly("push:9443->push");
    assertThat(admin.path("selector")).isEqualTo(traffic.path("selector"));
    assertThat(chart.get("Deployment", "sluice-proxy").path("spec").path("template").path("metadata")
        .path("labels").toString()).contains("\"app.kubernetes.io/component\":\"proxy\"");
  }

  @Test
  void pushTokenIsGeneratedAndMountedIntoBothPods() {
    JsonNode secret = chart.get("Secret", "sluice-push-token");
    byte[] token = Base64.getDecoder().decode(secret.path("data").path("token").asText());
    assertThat(token.length).isGreaterThanOrEqualTo(32);
    for (String workload : List.of("sluice-operator", "sluice-proxy")) {
      JsonNode volume = chart.podSpec("Deployment", workload).path("volumes").get(0);
      assertThat(volume.path("secret").path("secretName").asText()).isEqualTo("sluice-push-token");
      assertThat(volume.path("secret").path("items").get(0).path("path").asText()).isEqualTo("token");
    }
  }

  @Test
  void networkPolicyAdmitsOnlyOperatorPodsToThePushPort() {
    JsonNode policy = chart.get("NetworkPolicy", "sluice-proxy").path("spec");
    assertThat(policy.path("podSelector").path("matchLabels").path("app.kubernetes.io/component").asText())
        .isEqualTo("proxy");
    assertThat(texts(policy.path("policyTypes"))).containsExactly("Ingress");
    int rulesWithPushPort = 0;
    for (JsonNode rule : policy.path("ingress")) {
      List<Integer> ports = new ArrayList<>();
      rule.path("ports").forEach(p -> ports.add(p.path("port").asInt()));
      if (ports.contains(9443)) {
        rulesWithPushPort++;
        assertThat(ports).containsExactly(9443);
        assertThat(rule.path("from")).hasSize(1);
        JsonNode from = rule.path("from").get(0);
        assertThat(from.has("namespaceSelector")).isFalse();
        assertThat(from.has("ipBlock")).isFalse();
        assertThat(from.path("podSelector").path("matchLabels").path("app.kubernetes.io/component").asText())
            .isEqualTo("operator");
      } else {
        assertThat(ports).containsExactlyInAnyOrder(8080, 8443, 9000);
      }
    }
    assertThat(rulesWithPushPort).isEqualTo(1);
  }

  @Test
  void ingressClassIsNotTheDefaultUnlessAsked() {
    JsonNode ingressClass = chart.get("IngressClass", "sluice");
    assertThat(ingressClass.path("spec").path("controller").asText()).isEqualTo("sluice.io/ingress-controller");
    assertThat(ingressClass.path("metadata").path("annotations").has("ingressclass.kubernetes.io/is-default-class"))
        .isFalse();
  }

  @Test
  void proxyDisruptionsAreBudgeted() {
    JsonNode budget = chart.get("PodDisruptionBudget", "sluice-proxy").path("spec");
    assertThat(budget.path("maxUnavailable").asInt()).isEqualTo(1);
    assertThat(budget.path("selector").path("matchLabels"))
        .isEqualTo(chart.get("Deployment", "sluice-proxy").path("spec").path("selector").path("matchLabels"));
  }

  @Test
  void noServiceMonitorByDefault() {
    assertThat(chart.ofKind("ServiceMonitor")).isEmpty();
  }

  private static List<String[]> workloads() {
    return List.of(new String[] {"Deployment", "sluice-operator"}, new String[] {"Deployment", "sluice-proxy"});
  }

  static void assertProbe(JsonNode probe, String path, String port) {
    assertThat(probe.path("httpGet").path("path").asText()).isEqualTo(path);
    assertThat(probe.path("httpGet").path("port").asText()).isEqualTo(port);
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  static List<String> namedPorts(JsonNode container) {
    List<String> ports = new ArrayList<>();
    container.path("ports").forEach(p -> ports.add(p.path("name").asText() + "=" + p.path("containerPort").asInt()));
    return ports;
  }

  private static List<String> servicePorts(JsonNode serviceSpec) {
    List<String> ports = new ArrayList<>();
    serviceSpec.path("ports").forEach(p -> ports.add(
        p.path("name").asText() + ":" + p.path("port").asInt() + "->" + p.path("targetPort").asText()));
    return ports;
  }

  private static List<String> mountPaths(JsonNode container) {
    List<String> paths = new ArrayList<>();
    container.path("volumeMounts").forEach(m -> paths.add(m.path("mountPath").asText()));
    return paths;
  }
}
