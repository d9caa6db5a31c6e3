package io.sluice.proxy.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.sluice.snapshot.MiddlewareSpec;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerMiddlewareTest {
    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(100));
    private final MiddlewareFactory factory = new MiddlewareFactory(now::get, 10);

    private CircuitBreakerMiddleware breaker(String expression, int responseCode) {
        return (CircuitBreakerMiddleware) factory.create(
                new MiddlewareSpec.CircuitBreaker(expression, 100, 1_000, 2_000, responseCode), id -> null);
    }

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private static ForwardedRequest request() {
        return new ForwardedRequest("/", null, new DefaultHttpHeaders(), "http", "example.com");
    }

    /** Sends one request through; returns the breaker's answer status, or the backend's when admitted. */
    private int exchange(CircuitBreakerMiddleware breaker, int backendStatus, long latencyMillis) {
        ForwardedRequest request = request();
        Answer answer = breaker.onRequest(request);
        if (answer != null) {
            return answer.status();
        }
        request.complete(new ExchangeOutcome(backendStatus, TimeUnit.MILLISECONDS.toNanos(latencyMillis)));
        return backendStatus;
    }

    @Test
    void opensOnNetworkErrorsAnswersTheFallbackThenRecoversAndCloses() {
        CircuitBreakerMiddleware breaker = breaker("NetworkErrorRatio() > 0.5", 0);
        for (int i = 0; i < 4; i++) {
            assertThat(exchange(breaker, 502, 1)).isEqualTo(502);
        }
        assertThat(exchange(breaker, 200, 1)).as("not checked again within the check period").isEqualTo(200);
        advanceMillis(100);
        assertThat(exchange(breaker, 200, 1)).isEqualTo(503);
        assertThat(breaker.state()).isEqualTo("open");
        advanceMillis(900);
        assertThat(exchange(breaker, 200, 1)).as("still within the fallback duration").isEqualTo(503);

        advanceMillis(100); // fallback over: recovering for 2 s, admitting a share growing from 0 to 1
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            advanceMillis(10);
            admitted += exchange(breaker, 200, 1) == 200 ? 1 : 0;
        }
        assertThat(breaker.state()).isEqualTo("recovering");
        assertThat(admitted).as("about 5%% of requests early in the recovery").isBetween(1, 3);
        advanceMillis(2_000);
        assertThat(exchange(breaker, 200, 1)).isEqualTo(200);
        assertThat(breaker.state()).isEqualTo("closed");
    }

    @Test
    void reopensWhenTheBackendStillFailsWhileRecovering() {
        CircuitBreakerMiddleware breaker = breaker("ResponseCodeRatio(500, 600, 0, 600) > 0.25", 418);
        exchange(breaker, 500, 1);
        advanceMillis(100);
        assertThat(exchange(breaker, 200, 1)).as("the configured response code").isEqualTo(418);
        advanceMillis(1_000 + 1_000); // halfway through the recovery: about half get through
        int admittedStatus = 0;
        for (int i = 0; i < 4 && admittedStatus == 0; i++) {
            int status = exchange(breaker, 500, 1);
            admittedStatus = status == 500 ? 500 : 0;
        }
        assertThat(admittedStatus).isEqualTo(500);
        advanceMillis(100);
        assertThat(exchange(breaker, 200, 1)).isEqualTo(418);
        assertThat(breaker.state()).isEqualTo("open");
    }

    @Test
    void tripsOnLatencyAndIgnoresAbandonedExchangesAndEmptyWindows() {
        CircuitBreakerMiddleware breaker = breaker("LatencyAtQuantileMS(50.0) > 100 || NetworkErrorRatio() < 0.5",
                0);
        advanceMillis(100);
        assertThat(exchange(breaker, ExchangeOutcome.CLIENT_CLOSED, 5_000))
                .as("an empty window is never evaluated").isEqualTo(499);
        advanceMillis(100);
        assertThat(exchange(breaker, 502, 10)).as("abandoned exchanges were not recorded").isEqualTo(502);
        exchange(breaker, 502, 150);
        exchange(breaker, 502, 300);
        advanceMillis(100);
        assertThat(exchange(breaker, 200, 1)).isEqualTo(503);
    }

    @Test
    void windowForgetsExchangesOlderThanTenSeconds() {
        CircuitBreakerMiddleware breaker = breaker("NetworkErrorRatio() > 0.5", 0);
        exchange(breaker, 502, 1);
        advanceMillis(11_000);
        exchange(breaker, 200, 1); // checked here: the 502 is gone and this 200 is recorded after the check
        advanceMillis(100);
        assertThat(exchange(breaker, 200, 1)).isEqualTo(200);
    }

    @Test
    void refusesABadExpressionOrResponseCode() {
        assertThatThrownBy(() -> breaker("NetworkErrorRatio() >", 0)).hasMessageContaining("expected a number");
        assertThatThrownBy(() -> breaker("NetworkErrorRatio() > 0.5", 99)).hasMessageContaining("responseCode");
    }
}
