package io.sluice.charts;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the install artefacts live in the repository. The test JVM gets the repository root from Maven
 * ({@code sluice.repoRoot}), so the tests read the real chart, CRDs and manifests, never copies.
 */
record RepositoryLayout(Path root) {

  static final String ROOT_PROPERTY = "sluice.repoRoot";

  static RepositoryLayout fromSystemProperty() {
    String root = System.getProperty(ROOT_PROPERTY);
    if (root == null) {
      throw new IllegalStateException("system property " + ROOT_PROPERTY + " is not set (run the tests through Maven)");
    }
    Path path = Path.of(root).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path.resolve("charts/sluice/Chart.yaml"))) {
      throw new IllegalStateException(path + " does not look like the Sluice repository root");
    }
    return new RepositoryLayout(path);
  }

  Path chart() {
    return root.resolve("charts/sluice");
  }

  /** The CRDs generated from the Java model: the source of truth. */
  Path crds() {
    return root.resolve("crds");
  }

  /** The chart's copies of {@link #crds()}, kept identical by scripts/sync-crds.sh. */
  Path chartCrds() {
    return chart().resolve("crds");
  }

  Path manifests() {
    return root.resolve("manifests");
  }

  /** e2e/kind: the kind cluster config, chart values and backends e2e/kind/run.sh installs. */
  Path kind() {
    return root.resolve("e2e/kind");
  }
}
