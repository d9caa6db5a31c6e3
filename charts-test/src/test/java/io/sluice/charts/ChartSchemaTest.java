package io.sluice.charts;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Values that cannot work are refused at render time, with a message naming the offending value: values.schema.json
 * catches wrong types, unknown keys and out-of-range numbers; the template catches a grace period shorter than the
 * drain.
 */
class ChartSchemaTest {

  private final ChartRenderer renderer = new ChartRenderer(RepositoryLayout.fromSystemProperty().chart());

  @ParameterizedTest
  @CsvSource({
      "unknown-proxy-kind.yaml, /proxy/kind",
      "unknown-service-type.yaml, /service/type",
      "misspelled-key.yaml, watchNamespace",
      "port-out-of-range.yaml, web",
      "replicas-as-text.yaml, replicas",
      "grace-shorter-than-drain.yaml, terminationGracePeriodSeconds"})
  void invalidValuesFailTheRender(String file, String named) {
    assertThatThrownBy(() -> renderer.render(TestValues.file("invalid-values/" + file)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(named);
  }

  @ParameterizedTest
  @CsvSource({"proxy.ports.push, 0", "watchNamespaces[0], Team_A", "metrics.serviceMonitor.interval, often"})
  void invalidSetValuesFailTheRender(String key, String value) {
    assertThatThrownBy(() -> renderer.render(Map.of(key, value)))
        .isInstanceOf(IllegalStateException.class);
  }
}
