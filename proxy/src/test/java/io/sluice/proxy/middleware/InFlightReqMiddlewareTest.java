package io.sluice.proxy.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.snapshot.MiddlewareSpec;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class InFlightReqMiddlewareTest {
    private final MiddlewareFactory factory = new MiddlewareFactory();

    private InFlightReqMiddleware limit(long amount, MiddlewareSpec.SourceCriterion source) {
        return (InFlightReqMiddleware) factory.create(new MiddlewareSpec.InFlightReq(amount, source), id -> null);
    }

    private static ForwardedRequest request(String peer, String tenant) throws Exception {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (tenant != null) {
            headers.set("X-Tenant", tenant);
        }
        return new ForwardedRequest("/", null, headers, "http", "example.com", InetAddress.getByName(peer), false);
    }

    @Test
    void admitsUpToTheAmountPerSourceAndFreesASlotWhenAnExchangeEnds() throws Exception {
        InFlightReqMiddleware limit = limit(2, null);
        ForwardedRequest first = request("10.0.0.1", null);
        ForwardedRequest second = request("10.0.0.1", null);
        assertThat(limit.onRequest(first)).isNull();
        assertThat(limit.onRequest(second)).isNull();
        Answer refused = limit.onRequest(request("10.0.0.1", null));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(limit.onRequest(request("10.0.0.2", null))).as("another source").isNull();

        first.complete(new ExchangeOutcome(ExchangeOutcome.CLIENT_CLOSED, 5));
        first.complete(new ExchangeOutcome(200, 5)); // reported once only
        assertThat(limit.inFlight("10.0.0.1")).isEqualTo(1);
        assertThat(limit.onRequest(request("10.0.0.1", null))).isNull();
        assertThat(limit.onRequest(request("10.0.0.1", null)).status()).isEqualTo(429);
    }

    @Test
    void refusedRequestsHoldNoSlotAndIdleSourcesAreForgotten() throws Exception {
        InFlightReqMiddleware limit = limit(1, null);
        ForwardedRequest admitted = request("10.0.0.1", null);
        limit.onRequest(admitted);
        ForwardedRequest refused = request("10.0.0.1", null);
        assertThat(limit.onRequest(refused).status()).isEqualTo(429);
        refused.complete(new ExchangeOutcome(429, 1)); // the data path completes refused exchanges too
        assertThat(limit.inFlight("10.0.0.1")).isEqualTo(1);
        admitted.complete(new ExchangeOutcome(502, 1));
        assertThat(limit.trackedSources()).isZero();
    }

    @Test
    void countsPerRequestHeaderWhenAsked() throws Exception {
        InFlightReqMiddleware limit = limit(1, new MiddlewareSpec.SourceCriterion(null, "X-Tenant", false));
        assertThat(limit.onRequest(request("10.0.0.1", "a"))).isNull();
        assertThat(limit.onRequest(request("10.0.0.2", "a")).status()).isEqualTo(429);
        assertThat(limit.onRequest(request("10.0.0.1", "b"))).isNull();
    }

    @Test
    void refusesAnAmountBelowOne() {
        assertThatThrownBy(() -> limit(0, null)).hasMessageContaining("inFlightReq.amount must be at least 1");
    }
}
