package io.sluice.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * manifests/ is what the chart renders today: renders again and compares file by file. Fails with the command
 * that refreshes it. With {@code -Dsluice.updateManifests=true} (scripts/render-manifests.sh) it writes instead.
 */
class ManifestsUpToDateTest {

  static final String UPDATE_PROPERTY = "sluice.updateManifests";
  private static final String FIX = "manifests/ is stale: run scripts/render-manifests.sh and commit the result";

  @Test
  void manifestsMatchTheChart() throws IOException {
    RepositoryLayout layout = RepositoryLayout.fromSystemProperty();
    InstallManifests manifests = new InstallManifests(layout);
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      manifests.write();
    }

    Map<String, String> expected = manifests.render();
    Map<String, String> actual = CrdCopiesTest.contents(layout.manifests());
    assertThat(actual.keySet()).as(FIX).isEqualTo(expected.keySet());
    for (Map.Entry<String, String> file : expected.entrySet()) {
      String onDisk = new String(actual.get(file.getKey()).getBytes(StandardCharsets.ISO_8859_1),
          StandardCharsets.UTF_8);
      assertThat(onDisk).as(FIX + " (%s)", file.getKey()).isEqualTo(file.getValue());
    }
  }

  @Test
  void manifestsInstallIntoSluiceSystemWithoutACommittedToken() throws IOException {
    Map<String, String> files = new InstallManifests(RepositoryLayout.fromSystemProperty()).render();
    RenderedChart install = RenderedChart.parse(String.join("\n---\n", files.values()));

    assertThat(install.get("Namespace", "sluice-system")).isNotNull();
    assertThat(install.ofKind("Secret")).as("no token may be committed").isEmpty();
    for (JsonNode object : install.objects()) {
      String namespace = object.path("metadata").path("namespace").asText("");
      assertThat(namespace).as(object.path("kind").asText()).isIn("", "sluice-system");
    }
    JsonNode volume = install.podSpec("Deployment", "sluice-proxy").path("volumes").get(0);
    assertThat(volume.path("secret").path("secretName").asText()).isEqualTo(InstallManifests.PUSH_SECRET);
  }
}
