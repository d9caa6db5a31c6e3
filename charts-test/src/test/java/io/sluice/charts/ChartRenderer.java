package io.sluice.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.Map;

/**
 * Renders charts/sluice with the Helm SDK (helm-java), as {@code helm template} would, with no cluster:
 * {@code lookup} answers empty, so the push token is freshly generated on each render.
 */
final class ChartRenderer {

  static final String RELEASE = "sluice";
  static final String NAMESPACE = "sluice-system";

  private final Path chart;

  ChartRenderer(Path chart) {
    this.chart = chart;
  }

  /** Renders with the chart's defaults plus the given values files (later files win) and --set values. */
  String renderText(Map<String, Object> setValues, Path... valuesFiles) {
    TemplateCommand command = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
    for (Path file : valuesFiles) {
      command = command.withValuesFile(file);
    }
    for (Map.Entry<String, Object> value : setValues.entrySet()) {
      command = command.set(value.getKey(), value.getValue());
    }
    return command.call();
  }

  RenderedChart render(Path... valuesFiles) {
    return RenderedChart.parse(renderText(Map.of(), valuesFiles));
  }

  RenderedChart render(Map<String, Object> setValues) {
    return RenderedChart.parse(renderText(setValues));
  }
}
