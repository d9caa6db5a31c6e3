package io.sluice.proxy.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.snapshot.MiddlewareSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RateLimitMiddlewareTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private HttpMiddleware limit(long average, long periodMillis, long burst, MiddlewareSpec.SourceCriterion source,
            int maxSources) {
        return new MiddlewareFactory(now::get, maxSources)
                .create(new MiddlewareSpec.RateLimit(average, periodMillis, burst, source), id -> null);
    }

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    static Stream<Arguments> schedules() {
        // average, period ms, burst, then steps: "ok"/"429:<retry-after>" or "+<ms>" to advance the clock
        return Stream.of(
                Arguments.of(10, 1000, 3, List.of("ok", "ok", "ok", "429:1", "+100", "ok", "429:1")),
                Arguments.of(1, 60_000, 2, List.of("ok", "ok", "429:60", "+59_001", "429:1", "+999", "ok")),
                Arguments.of(1, 1000, 0, List.of("ok", "429:1", "+1000", "ok")),
                Arguments.of(2, 0, 1, List.of("ok", "429:1", "+500", "ok")),
                Arguments.of(1, 1000, 2, List.of("ok", "ok", "+10_000", "ok", "ok", "429:1")),
                Arguments.of(0, 1000, 1, List.of("ok", "ok", "ok", "ok")));
    }

    @ParameterizedTest(name = "{0}/{1}ms burst {2}")
    @MethodSource("schedules")
    void followsTheTokenBucket(long average, long period, long burst, List<String> steps) throws Exception {
        HttpMiddleware limit = limit(average, period, burst, null, 100);
        List<String> seen = new ArrayList<>();
        for (String step : steps) {
            if (step.startsWith("+")) {
                advanceMillis(Long.parseLong(step.substring(1).replace("_", "")));
                seen.add(step);
                continue;
            }
            Answer answer = limit.onRequest(request("10.0.0.1", null, null));
            seen.add(answer == null ? "ok" : answer.status() + ":" + answer.headers().get("Retry-After"));
        }
        assertThat(seen).isEqualTo(steps);
    }

    @Test
    void keepsOneBucketPerPeerByDefault() throws Exception {
        HttpMiddleware limit = limit(1, 1000, 1, null, 100);
        assertThat(limit.onRequest(request("10.0.0.1", null, null))).isNull();
        assertThat(limit.onRequest(request("10.0.0.1", null, null)).status()).isEqualTo(429);
        assertThat(limit.onRequest(request("10.0.0.2", null, null))).isNull();
    }

    @Test
    void canKeyByHeaderHostOrForwardedAddress() throws Exception {
        HttpMiddleware byHeader = limit(1, 1000, 1, new MiddlewareSpec.SourceCriterion(null, "X-Api-Key", false), 100);
        assertThat(byHeader.onRequest(request("10.0.0.1", "X-Api-Key", "a"))).isNull();
        assertThat(byHeader.onRequest(request("10.0.0.2", "X-Api-Key", "a")).status()).isEqualTo(429);
        assertThat(byHeader.onRequest(request("10.0.0.1", "X-Api-Key", "b"))).isNull();

        HttpMiddleware byHost = limit(1, 1000, 1, new MiddlewareSpec.SourceCriterion(null, null, true), 100);
        assertThat(byHost.onRequest(request("10.0.0.1", "Host", "a.example.com"))).isNull();
        assertThat(byHost.onRequest(request("10.0.0.2", "Host", "A.example.com:80")).status()).isEqualTo(429);
        assertThat(byHost.onRequest(request("10.0.0.1", "Host", "b.example.com"))).isNull();

        HttpMiddleware byForwarded = limit(1, 1000, 1, new MiddlewareSpec.SourceCriterion(
                new MiddlewareSpec.IpStrategy(1, List.of()), null, false), 100);
        assertThat(byForwarded.onRequest(request("10.0.0.1", "X-Forwarded-For", "8.8.8.8"))).isNull();
        assertThat(byForwarded.onRequest(request("10.0.0.1", "X-Forwarded-For", "9.9.9.9"))).isNull();
        assertThat(byForwarded.onRequest(request("10.0.0.2", "X-Forwarded-For", "8.8.8.8")).status())
                .isEqualTo(429);
    }

    @Test
    void boundsTrackedSourcesEvictingIdleOnesFirst() throws Exception {
        RateLimitMiddleware limit = (RateLimitMiddleware) limit(1, 1000, 1, null, 4);
        for (int i = 1; i <= 4; i++) {
            limit.onRequest(request("10.0.0." + i, null, null));
        }
        advanceMillis(1000); // 10.0.0.1-4 are full again, forgetting them changes nothing
        limit.onRequest(request("10.0.1.1", null, null));
        assertThat(limit.trackedSources()).isEqualTo(1);
        assertThat(limit.onRequest(request("10.0.1.1", null, null)).status()).isEqualTo(429);

        for (int i = 1; i <= 10; i++) {
            limit.onRequest(request("10.0.2." + i, null, null));
            assertThat(limit.trackedSources()).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void isSafeWhenOneSourceArrivesOnManyThreads() throws Exception {
        HttpMiddleware limit = limit(1, 3_600_000, 1000, null, 100);
        AtomicLong admitted = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    try {
                        if (limit.onRequest(request("10.0.0.1", null, null)) == null) {
                            admitted.incrementAndGet();
                        }
                    } catch (UnknownHostException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(admitted.get()).isEqualTo(1000);
    }

    private static ForwardedRequest request(String peer, String header, String value) throws UnknownHostException {
        HttpHeaders headers = new DefaultHttpHeaders();
        String host = "app.example.com";
        if ("Host".equals(header)) {
            host = value;
        } else if (header != null) {
            headers.set(header, value);
        }
        return new ForwardedRequest("/", null, headers, "http", host, InetAddress.getByName(peer),
                "X-Forwarded-For".equals(header));
    }
}
