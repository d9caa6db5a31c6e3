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

    @Test
    void endpointsKnownDownGetNoTrafficUnlessAllAreDown() {
        UpstreamEndpoint other = new UpstreamEndpoint("10.0.0.4", 80, 10);
        java.util.concurrent.atomic.AtomicBoolean readyUp = new java.util.concurrent.atomic.AtomicBoolean(false);
        java.util.concurrent.atomic.AtomicBoolean otherUp = new java.util.concurrent.atomic.AtomicBoolean(true);
        for (Strategy strategy : Strategy.values()) {
            LoadBalancedService service = new LoadBalancedService("svc", List.of(
                    new LoadBalancedService.Member(ready, 1, true, true, readyUp::get),
                    new LoadBalancedService.Member(other, 1, true, true, otherUp::get),
                    new LoadBalancedService.Member(terminating, 1, false, true)),
                    strategy, true, UpstreamSettings.defaults());
            readyUp.set(false);
            otherUp.set(true);
            for (int i = 0; i < 10; i++) {
                assertThat(service.pick().endpoint()).isSameAs(other);
            }
            otherUp.set(false); // every ready endpoint down: the serving one that is not down takes over
            for (int i = 0; i < 10; i++) {
                assertThat(service.pick().endpoint()).isSameAs(terminating);
            }
        }
        LoadBalancedService allDown = new LoadBalancedService("svc", List.of(
                new LoadBalancedService.Member(ready, 1, true, true, () -> false),
                new LoadBalancedService.Member(other, 1, true, true, () -> false)),
                Strategy.WRR, true, UpstreamSettings.defaults());
        java.util.Set<UpstreamEndpoint> used = new java.util.HashSet<>();
        for (int i = 0; i < 4; i++) {
            used.add(allDown.pick().endpoint());
        }
        assertThat(used).containsExactlyInAnyOrder(ready, other);
    }

    @Test
    void stickyCookieIsIgnoredForAnEndpointThatIsDown() {
        UpstreamEndpoint other = new UpstreamEndpoint("10.0.0.4", 80, 10);
        java.util.concurrent.atomic.AtomicBoolean readyUp = new java.util.concurrent.atomic.AtomicBoolean(true);
        StickyCookie cookie = new StickyCookie(new io.sluice.snapshot.Sticky("s", false, false, null, null));
        LoadBalancedService service = new LoadBalancedService("svc", List.of(
                new LoadBalancedService.Member(ready, 1, true, true, readyUp::get),
                new LoadBalancedService.Member(other, 1, true, true)),
                Strategy.WRR, true, UpstreamSettings.defaults(), cookie);
        io.netty.handler.codec.http.HttpHeaders headers = new io.netty.handler.codec.http.DefaultHttpHeaders()
                .add("Cookie", "s=" + StickyCookie.valueFor(ready.authority()));
        for (int i = 0; i < 5; i++) {
            UpstreamTarget target = service.pick(RequestCookies.of(headers));
            assertThat(target.endpoint()).isSameAs(ready);
            assertThat(target.setCookies()).isEmpty();
        }
        readyUp.set(false);
        UpstreamTarget moved = service.pick(RequestCookies.of(headers));
        assertThat(moved.endpoint()).isSameAs(other);
        assertThat(moved.setCookies()).containsExactly("s=" + StickyCookie.valueFor(other.authority()) + "; Path=/");
    }
}
