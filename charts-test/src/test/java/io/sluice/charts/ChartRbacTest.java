package io.sluice.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The operator gets exactly the least-privilege set documented in docs/install.md: reads of what it translates,
 * status subresources only, events, and its Lease in its own namespace; with watchNamespaces, namespaced reads
 * (Secrets included) only in the listed namespaces.
 */
class ChartRbacTest {

  private final ChartRenderer renderer = new ChartRenderer(RepositoryLayout.fromSystemProperty().chart());

  @Test
  void clusterWideInstallGrantsExactlyTheLeastPrivilegeSet() {
    RenderedChart chart = renderer.render();

    Set<String> expected = new TreeSet<>(RbacRules.operatorNamespacedGrants());
    expected.addAll(RbacRules.grants("networking.k8s.io", "ingressclasses", "get", "list", "watch"));
    assertThat(RbacRules.grants(chart.get("ClusterRole", "sluice-operator"))).isEqualTo(expected);
    assertThat(chart.ofKind("ClusterRole")).hasSize(1);

    JsonNode leaderRole = chart.get("Role", "sluice-operator-leader-election");
    assertThat(leaderRole.path("metadata").path("namespace").asText()).isEqualTo("sluice-system");
    assertThat(RbacRules.grants(leaderRole))
        .isEqualTo(RbacRules.grants("coordination.k8s.io", "leases", "get", "create", "update"));
    assertThat(chart.ofKind("Role")).hasSize(1);

    assertBoundToOperator(chart.get("ClusterRoleBinding", "sluice-operator"), "ClusterRole", "sluice-operator");
    assertBoundToOperator(chart.get("RoleBinding", "sluice-operator-leader-election"), "Role",
        "sluice-operator-leader-election");
  }

  @Test
  void noRoleGrantsWritesOutsideStatusEventsAndLeases() {
    RenderedChart chart = renderer.render();
    for (String kind : new String[] {"ClusterRole", "Role"}) {
      for (JsonNode role : chart.ofKind(kind)) {
        for (String grant : RbacRules.grants(role)) {
          String resource = grant.substring(grant.indexOf('/') + 1, grant.indexOf(':'));
          String verb = grant.substring(grant.indexOf(':') + 1);
          if (!Set.of("get", "list", "watch").contains(verb)) {
            assertThat(resource.endsWith("/status") || resource.equals("events") || resource.equals("leases"))
                .as("write grant %s", grant).isTrue();
          }
          assertThat(verb).as(grant).isNotIn("*", "delete", "deletecollection", "escalate", "bind", "impersonate");
        }
      }
    }
  }

  @Test
  void watchNamespacesConfinesNamespacedReadsToThoseNamespaces() {
    RenderedChart chart = renderer.render(TestValues.file("values/watch-namespaces.yaml"));

    assertThat(RbacRules.grants(chart.get("ClusterRole", "sluice-operator")))
        .as("only the cluster-scoped IngressClass stays cluster-wide")
        .isEqualTo(RbacRules.grants("networking.k8s.io", "ingressclasses", "get", "list", "watch"));

    for (String namespace : new String[] {"team-a", "team-b"}) {
      JsonNode role = chart.ofKind("Role").stream()
          .filter(r -> r.path("metadata").path("namespace").asText().equals(namespace))
          .findFirst().orElseThrow(() -> new AssertionError("no Role in " + namespace + ": " + chart.summary()));
      assertThat(RbacRules.grants(role)).isEqualTo(RbacRules.operatorNamespacedGrants());
      JsonNode binding = chart.ofKind("RoleBinding").stream()
          .filter(b -> b.path("metadata").path("namespace").asText().equals(namespace))
          .findFirst().orElseThrow();
      assertBoundToOperator(binding, "Role", role.path("metadata").path("name").asText());
    }

    Set<String> ownNamespace = new TreeSet<>(RbacRules.grants("coordination.k8s.io", "leases", "get", "create",
        "update"));
    ownNamespace.addAll(RbacRules.grants("core", "services", "get", "list", "watch"));
    ownNamespace.addAll(RbacRules.grants("discovery.k8s.io", "endpointslices", "get", "list", "watch"));
    assertThat(RbacRules.grants(chart.get("Role", "sluice-operator-leader-election")))
        .as("its own namespace: the Lease, the publish Service and the admin Service's EndpointSlices, no Secrets")
        .isEqualTo(ownNamespace);

    String args = String.join(" ", ChartDefaultsTest.texts(chart.container("Deployment", "sluice-operator")
        .path("args")));
    assertThat(args).contains("--watch-namespaces team-a,team-b", "--allow-cross-namespace");
  }

  private static void assertBoundToOperator(JsonNode binding, String roleKind, String roleName) {
    assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo(roleKind);
    assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(roleName);
    assertThat(binding.path("subjects")).hasSize(1);
    JsonNode subject = binding.path("subjects").get(0);
    assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
    assertThat(subject.path("name").asText()).isEqualTo("sluice-operator");
    assertThat(subject.path("namespace").asText()).isEqualTo("sluice-system");
  }
}
