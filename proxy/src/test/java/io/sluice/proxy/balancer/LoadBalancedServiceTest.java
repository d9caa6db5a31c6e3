package io.sluice.proxy.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.proxy.upstream.UpstreamEndpoint;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.snapshot.Strategy;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadBalancedServiceTest {
    private final UpstreamEndpoint ready = new UpstreamEndpoint("10.0.0.1", 80, 10);
    private final UpstreamEndpoint terminating = new UpstreamEndpoint("10.0.0.2", 80, 10);
    private final UpstreamEndpoint gone = new UpstreamEndpoint("10.0.0.3", 80, 10);

    @Test
    void readyEndpointsOnlyWhileAnyIsReady() {
        for (Strategy strategy : Strategy.values()) {
            LoadBalancedService service = new LoadBalancedService("svc", List.of(
                    new LoadBalancedService.Member(ready, 1, true, true),
                    new LoadBalancedService.Member(terminating, 1, false, true),
                    new LoadBalancedService.Member(gone, 1, false, false)),
                    strategy, true, UpstreamSettings.defaults());
            for (int i = 0; i < 10; i++) {
                assertThat(service.pick().endpoint()).isSameAs(ready);
            }
        }
    }

    @Test
    void fallsBackToServingTerminatingEndpointsButNeverToNotServingOnes() {
        LoadBalancedService service = new LoadBalancedService("svc", List.of(
                new LoadBalancedService.Member(terminating, 1, false, true),
                new LoadBalancedService.Member(gone, 1, false, false)),
                Strategy.WRR, false, UpstreamSettings.defaults());
        UpstreamTarget target = service.pick();
        assertThat(target.endpoint()).isSameAs(terminating);
        assertThat(target.passHostHeader()).isFalse();

        LoadBalancedService none = new LoadBalancedService("svc", List.of(
                new LoadBalancedService.Member(gone, 1, false, false)), Strategy.P2C, true,
                UpstreamSettings.defaults());
        assertThat(none.pick()).isNull();
    }
}
