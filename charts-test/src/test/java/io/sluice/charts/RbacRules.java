package io.sluice.charts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;

/**
 * The permissions of a Role or ClusterRole flattened to {@code group/resource:verb} grants, so that a test can
 * compare them with the exact least-privilege set (the core group is written as "core").
 */
final class RbacRules {

  private RbacRules() {
  }

  static Set<String> grants(JsonNode role) {
    Set<String> grants = new TreeSet<>();
    for (JsonNode rule : role.path("rules")) {
      if (rule.has("resourceNames") || rule.has("nonResourceURLs")) {
        throw new AssertionError("unexpected rule shape: " + rule);
      }
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          for (JsonNode verb : rule.path("verbs")) {
            String groupName = group.asText().isEmpty() ? "core" : group.asText();
            grants.add(groupName + "/" + resource.asText() + ":" + verb.asText());
          }
        }
      }
    }
    return grants;
  }

  static Set<String> grants(String group, String resource, String... verbs) {
    Set<String> grants = new TreeSet<>();
    for (String verb : verbs) {
      grants.add(group + "/" + resource + ":" + verb);
    }
    return grants;
  }

  /** What the operator needs in every namespace it watches. */
  static Set<String> operatorNamespacedGrants() {
    Set<String> grants = new TreeSet<>();
    for (String[] read : new String[][] {
        {"networking.k8s.io", "ingresses"}, {"sluice.io", "ingressroutes"}, {"sluice.io", "middlewares"},
        {"sluice.io", "tlsoptions"},
        {"sluice.io", "serverstransports"},
        {"sluice.io", "traefikservices"},
        {"sluice.io", "ingressroutetcps"},
        {"core", "services"}, {"core", "secrets"}, {"discovery.k8s.io", "endpointslices"}}) {
      grants.addAll(grants(read[0], read[1], "get", "list", "watch"));
    }
    grants.addAll(grants("networking.k8s.io", "ingresses/status", "update", "patch"));
    grants.addAll(grants("sluice.io", "ingressroutes/status", "update", "patch"));
    grants.addAll(grants("sluice.io", "middlewares/status", "update", "patch"));
    grants.addAll(grants("sluice.io", "traefikservices/status", "update", "patch"));
    grants.addAll(grants("sluice.io", "ingressroutetcps/status", "update", "patch"));
    grants.addAll(grants("core", "events", "create", "patch"));
    grants.addAll(grants("events.k8s.io", "events", "create", "patch"));
    return grants;
  }
}
