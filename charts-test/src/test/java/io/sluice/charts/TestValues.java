package io.sluice.charts;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Values files under src/test/resources: examples of user value sets, valid ones and ones the chart must reject. */
final class TestValues {

  private TestValues() {
  }

  static Path file(String resource) {
    URL url = TestValues.class.getResource("/" + resource);
    if (url == null) {
      throw new IllegalArgumentException("no test resource " + resource);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(resource, e);
    }
  }
}
