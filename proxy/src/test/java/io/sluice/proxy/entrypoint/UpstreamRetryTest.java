package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.proxy.middleware.RetryMiddleware;
import org.junit.jupiter.api.Test;

/** When an exchange is retried and after how long: the stale-connection rule and the retry middleware's budget. */
class UpstreamRetryTest {

    private static HttpRequest request(HttpMethod method) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, "/x");
    }

    @Test
    void staleConnectionRetriesOnceAtOnceForBodylessIdempotentRequests() {
        UpstreamRetry get = UpstreamRetry.start(null, request(HttpMethod.GET), false, "shop");
        assertThat(get.afterLostConnection(true)).isZero();
        assertThat(get.freshConnection()).isTrue();
        assertThat(get.afterLostConnection(true)).isEqualTo(UpstreamRetry.NO_RETRY);

        assertThat(UpstreamRetry.start(null, request(HttpMethod.DELETE), false, null).afterLostConnection(true))
                .isZero();
        assertThat(UpstreamRetry.start(null, request(HttpMethod.POST), false, null).afterLostConnection(true))
                .isEqualTo(UpstreamRetry.NO_RETRY);
        assertThat(UpstreamRetry.start(null, request(HttpMethod.PUT), true, null).afterLostConnection(true))
                .isEqualTo(UpstreamRetry.NO_RETRY);
        assertThat(UpstreamRetry.start(null, request(HttpMethod.GET), false, null).afterLostConnection(false))
                .as("a new connection that fails is not stale").isEqualTo(UpstreamRetry.NO_RETRY);
        HttpRequest expecting = request(HttpMethod.PUT);
        expecting.headers().set("Expect", "100-continue");
        assertThat(UpstreamRetry.start(null, expecting, false, null).afterLostConnection(true))
                .isEqualTo(UpstreamRetry.NO_RETRY);
    }

    @Test
    void retryMiddlewareCountsAttemptsAndDoublesTheWait() {
        UpstreamRetry retry = UpstreamRetry.start(new RetryMiddleware(4, 100), request(HttpMethod.POST), true, null);
        assertThat(retry.afterConnectFailure()).isEqualTo(100);
        assertThat(retry.afterConnectFailure()).isEqualTo(200);
        assertThat(retry.afterConnectFailure()).isEqualTo(400);
        assertThat(retry.afterConnectFailure()).isEqualTo(UpstreamRetry.NO_RETRY);

        UpstreamRetry withBody = UpstreamRetry.start(new RetryMiddleware(3, 0), request(HttpMethod.POST), true, null);
        assertThat(withBody.afterLostConnection(false)).as("a sent body cannot be replayed")
                .isEqualTo(UpstreamRetry.NO_RETRY);

        UpstreamRetry bodyless = UpstreamRetry.start(new RetryMiddleware(3, 0), request(HttpMethod.POST), false,
                null);
        assertThat(bodyless.afterLostConnection(false)).isZero();
        bodyless.responseSeen();
        assertThat(bodyless.afterConnectFailure()).isEqualTo(UpstreamRetry.NO_RETRY);
    }

    @Test
    void replayHeadIsACopyOfTheHeadAsForwarded() {
        HttpRequest original = request(HttpMethod.GET);
        original.headers().set("X-Forwarded-For", "10.0.0.1");
        UpstreamRetry retry = UpstreamRetry.start(null, original, false, "shop");
        original.headers().set("Host", "10.1.0.1:8080"); // the first attempt's target; each dispatch sets its own
        HttpRequest replay = retry.replayHead();
        assertThat(replay).isNotSameAs(original);
        assertThat(replay.headers().get("X-Forwarded-For")).isEqualTo("10.0.0.1");
        replay.headers().set("Host", "10.1.0.2:8080");
        assertThat(original.headers().get("Host")).as("the copy is independent").isEqualTo("10.1.0.1:8080");
        assertThat(retry.originalHost()).isEqualTo("shop");
    }

    @Test
    void backoffIsCapped() {
        assertThat(new RetryMiddleware(10, 10_000).delayBeforeRetry(9)).isEqualTo(RetryMiddleware.MAX_INTERVAL_MILLIS);
    }
}
