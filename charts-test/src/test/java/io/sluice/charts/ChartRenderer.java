package io.sluice.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.Map;

/**
 * Renders charts/sluice with the Helm SDK (helm-java), as {@code helm template} would, with no cluster. helm-java's
 * template tries a live {@code lookup}, so renders set {@code pushAuth.keepTokenOnUpgrade=false}: the push token is
 * freshly generated on each render. CRDs are left out (skipCrds): they are checked by {@link CrdCopiesTest} and
 * added to manifests/ by {@link InstallManifests}.
 */
final class ChartRenderer {

  static final String RELEASE = "sluice";
  static final String NAMESPACE = "sluice-system";
  /** The Kubernetes version the chart is rendered for (the chart needs >= 1.25). */
  static final String KUBE_VERSION = "1.30.0";

  private final Path chart;

  ChartRenderer(Path chart) {
    this.chart = chart;
  }

  /** Renders with the chart's defaults plus the given values files (later files win) and --set values. */
  String renderText(Map<String, Object> setValues, Path... valuesFiles) {
    TemplateCommand command = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION).skipCrds();
    for (Path file : valuesFiles) {
      command = command.withValuesFile(file);
    }
    command = command.set("pushAuth.keepTokenOnUpgrade", false);
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
