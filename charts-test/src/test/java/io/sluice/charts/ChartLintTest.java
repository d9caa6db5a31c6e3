package io.sluice.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

/** {@code helm lint --strict} of charts/sluice reports nothing: no errors and no warnings. */
class ChartLintTest {

  @Test
  void chartLintsCleanInStrictMode() {
    LintResult result = new Helm(RepositoryLayout.fromSystemProperty().chart()).lint().strict().call();

    assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .as("lint messages")
        .noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }
}
