package io.sluice.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart ships the CRDs generated from the Java model (top-level crds/) as byte-identical copies in
 * charts/sluice/crds/: no file missing, none extra, none different. Fix with scripts/sync-crds.sh.
 */
class CrdCopiesTest {

  @Test
  void chartCrdsAreIdenticalCopiesOfTheGeneratedCrds() throws IOException {
    RepositoryLayout layout = RepositoryLayout.fromSystemProperty();

    Map<String, String> generated = contents(layout.crds());
    Map<String, String> inChart = contents(layout.chartCrds());

    assertThat(inChart.keySet())
        .as("files in charts/sluice/crds/ versus crds/ (run scripts/sync-crds.sh)")
        .isEqualTo(generated.keySet());
    for (Map.Entry<String, String> crd : generated.entrySet()) {
      assertThat(inChart.get(crd.getKey()))
          .as("charts/sluice/crds/%s differs from crds/%s (run scripts/sync-crds.sh)", crd.getKey(), crd.getKey())
          .isEqualTo(crd.getValue());
    }
  }

  /** File name to content of every regular, non-hidden file in the folder; an absent folder has none. */
  static Map<String, String> contents(Path folder) throws IOException {
    Map<String, String> contents = new TreeMap<>();
    if (!Files.isDirectory(folder)) {
      return contents;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (Files.isRegularFile(file) && !name.startsWith(".")) {
          // ISO-8859-1 maps every byte to one char, so equal strings mean equal bytes
          contents.put(name, Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
      }
    }
    return contents;
  }
}
