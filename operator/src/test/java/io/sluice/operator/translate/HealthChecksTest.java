package io.sluice.operator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.sluice.operator.crd.ServiceRef;
import io.sluice.snapshot.HealthCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HealthChecksTest {

    @ParameterizedTest
    @CsvSource({"10s,10000", "500ms,500", "1m30s,90000", "2h,7200000", "15,15000", "0s,0",
            "soon,-1", "10,10000", "1.5s,-1", "s,-1", "10s5,-1", "' ',-1", "-1s,-1"})
    void parsesTraefikDurations(String text, long millis) {
        assertThat(Durations.millis(text)).isEqualTo(millis);
    }

    @Test
    void defaultsAreTraefiksAndEveryProblemIsReported() {
        List<String[]> problems = new ArrayList<>();
        HealthCheck check = HealthChecks.translate(new ServiceRef.HealthCheck("/ready", null, null, null, null, null,
                null, null, null), problems);
        assertThat(problems).isEmpty();
        assertThat(check).isEqualTo(new HealthCheck("/ready", 30_000, 5_000, null, null, null, null, Map.of()));

        assertThat(HealthChecks.translate(new ServiceRef.HealthCheck("ready", new IntOrString(0),
                new IntOrString("fast"), "ftp", null, 70000, null, true, 600), problems)).isNull();
        assertThat(problems).extracting(p -> p[0]).containsExactly(".healthCheck.path", ".healthCheck.interval",
                ".healthCheck.timeout", ".healthCheck.scheme", ".healthCheck.status", ".healthCheck.port",
                ".healthCheck");
    }

    @Test
    void httpsProbesAreAcceptedInAnyCase() {
        List<String[]> problems = new ArrayList<>();
        HealthCheck check = HealthChecks.translate(new ServiceRef.HealthCheck("/ready", null, null, "HTTPS",
                "api.internal", null, null, null, null), problems);
        assertThat(problems).isEmpty();
        assertThat(check.scheme()).isEqualTo("https");
        assertThat(check.hostname()).isEqualTo("api.internal");
    }
}
