package io.sluice.proxy.entrypoint;

import static io.sluice.proxy.entrypoint.ProxyFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.Middleware;
import io.sluice.snapshot.MiddlewareSpec;
import io.sluice.snapshot.Service;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retries through the real proxy: the {@code retry} middleware over endpoints that refuse connections or drop
 * them before answering, and the built-in retry of a body-less idempotent request that a stale pooled keep-alive
 * connection lost.
 */
class RetryIT {
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable r : resources) {
            r.close();
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Answers the first request of each connection, then closes when the next one arrives (a stale idle close). */
    private static String closesOnReuse(int connection, int request, String head) {
        return request == 1 ? "ok" + connection : null;
    }

    @Test
    void staleKeepAliveConnectionIsRetriedOnceOnAFreshOneForIdempotentRequests() throws Exception {
        ScriptedBackend backend = keep(new ScriptedBackend(RetryIT::closesOnReuse));
        ProxyFixture proxy = keep(new ProxyFixture());
        proxy.install(List.of(route("r", "PathPrefix(`/`)", "svc")),
                List.of(Service.LoadBalancer.of("svc", List.of(Endpoint.ready("127.0.0.1", backend.port())))),
                List.of());

        for (int i = 1; i <= 4; i++) {
            HttpResponse<String> response = proxy.get("/item");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok" + i);
        }
        assertThat(backend.connections()).isEqualTo(4);

        HttpResponse<String> delete = proxy.send(HttpRequest.newBuilder(proxy.uri("/item")).DELETE());
        assertThat(delete.statusCode()).isEqualTo(200);
    }

    @Test
    void staleConnectionIsNotRetriedForPostOrRequestsWithABody() throws Exception {
        ScriptedBackend backend = keep(new ScriptedBackend(RetryIT::closesOnReuse));
        ProxyFixture proxy = keep(new ProxyFixture());
        proxy.install(List.of(route("r", "PathPrefix(`/`)", "svc")),
                List.of(Service.LoadBalancer.of("svc", List.of(Endpoint.ready("127.0.0.1", backend.port())))),
                List.of());

        assertThat(proxy.get("/warm").statusCode()).isEqualTo(200);
        HttpResponse<String> post = proxy.send(HttpRequest.newBuilder(proxy.uri("/order"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(502);

        assertThat(proxy.get("/warm").statusCode()).isEqualTo(200);
        HttpResponse<String> put = proxy.send(HttpRequest.newBuilder(proxy.uri("/doc"))
                .PUT(HttpRequest.BodyPublishers.ofString("content")));
        assertThat(put.statusCode()).isEqualTo(502);
        assertThat(backend.heads()).filteredOn(h -> h.startsWith("PUT")).hasSize(1);
    }

    @Test
    void retryMiddlewareMovesRefusedConnectionsToAnotherEndpoint() throws Exception {
        ScriptedBackend good = keep(new ScriptedBackend((c, r, head) -> "good"));
        ProxyFixture proxy = keep(new ProxyFixture());
        List<Endpoint> endpoints = List.of(Endpoint.ready("127.0.0.1", ScriptedBackend.refusingPort()),
                Endpoint.ready("127.0.0.1", good.port()), Endpoint.ready("127.0.0.1", ScriptedBackend.refusingPort()));
        proxy.install(List.of(route("with", "PathPrefix(`/with`)", "svc", "retry"),
                        route("without", "PathPrefix(`/without`)", "svc")),
                List.of(Service.LoadBalancer.of("svc", endpoints)),
                List.of(new Middleware("retry", new MiddlewareSpec.Retry(3, 5))));

        List<Integer> without = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            without.add(proxy.get("/without").statusCode());
        }
        assertThat(without).contains(502, 200);

        for (int i = 0; i < 12; i++) {
            HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/with/upload"))
                    .POST(HttpRequest.BodyPublishers.ofString("body " + i)));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("good");
        }
    }

    @Test
    void retryMiddlewareReplaysBodylessRequestsWhoseConnectionDroppedBeforeAnyResponse() throws Exception {
        ScriptedBackend dropper = keep(new ScriptedBackend((c, r, head) -> null));
        ScriptedBackend good = keep(new ScriptedBackend((c, r, head) -> "good"));
        ProxyFixture proxy = keep(new ProxyFixture());
        proxy.install(List.of(route("r", "PathPrefix(`/`)", "svc", "retry")),
                List.of(Service.LoadBalancer.of("svc", List.of(Endpoint.ready("127.0.0.1", dropper.port()),
                        Endpoint.ready("127.0.0.1", good.port())))),
                List.of(new Middleware("retry", new MiddlewareSpec.Retry(2, 0))));

        for (int i = 0; i < 6; i++) {
            assertThat(proxy.send(HttpRequest.newBuilder(proxy.uri("/x")).POST(HttpRequest.BodyPublishers.noBody()))
                    .body()).isEqualTo("good");
        }
        assertThat(dropper.heads()).isNotEmpty();
        assertThat(dropper.heads()).allMatch(h -> h.contains("X-Forwarded-For: 127.0.0.1"));

        // with a body the request cannot be replayed once sent: the client sees the failure
        int failed = 0;
        for (int i = 0; i < 4; i++) {
            if (proxy.send(HttpRequest.newBuilder(proxy.uri("/x")).POST(HttpRequest.BodyPublishers.ofString("b")))
                    .statusCode() == 502) {
                failed++;
            }
        }
        assertThat(failed).isGreaterThan(0);
    }

    @Test
    void retriesStopAfterTheAttemptsWithExponentialBackoff() throws Exception {
        ProxyFixture proxy = keep(new ProxyFixture());
        proxy.install(List.of(route("r", "PathPrefix(`/`)", "svc", "retry")),
                List.of(Service.LoadBalancer.of("svc",
                        List.of(Endpoint.ready("127.0.0.1", ScriptedBackend.refusingPort())))),
                List.of(new Middleware("retry", new MiddlewareSpec.Retry(4, 100))));

        long start = System.nanoTime();
        HttpResponse<String> response = proxy.get("/");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(millis).isGreaterThanOrEqualTo(100 + 200 + 400).isLessThan(5_000);
    }
}
