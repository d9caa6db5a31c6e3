package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ExchangeRecorderTest {

    @Test
    void countsRequestsByLabelsAndFoldsUnknownMethodsSoClientsCannotGrowSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ExchangeRecorder recorder = new ExchangeRecorder(registry, false);

        recorder.exchange("web", "r1", "s1", "GET", 200, 1_000_000);
        recorder.exchange("web", "r1", "s1", "GET", 204, 1_000_000);
        recorder.exchange("web", "r1", "s1", "BREW", 404, 1_000_000);
        recorder.exchange("web", "r1", "s1", "COFFEE", 404, 1_000_000);

        assertThat(registry.get("sluice.requests").tag("method", "GET").tag("status_class", "2xx").counter()
                .count()).isEqualTo(2.0);
        assertThat(registry.get("sluice.requests").tag("method", "OTHER").tag("status_class", "4xx").counter()
                .count()).isEqualTo(2.0);
        assertThat(registry.find("sluice.requests").tag("method", "BREW").counter()).isNull();
        assertThat(registry.get("sluice.request.duration").tag("router", "r1").timer().count()).isEqualTo(4);
    }
}
