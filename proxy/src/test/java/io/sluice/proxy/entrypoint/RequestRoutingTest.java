package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.upstream.UpstreamEndpoints;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestRoutingTest {
    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final ForwardingHeaders forwarding = new ForwardingHeaders(new TrustedProxies(List.of("10.0.0.0/8")));
    private final RequestRouting routing = new RequestRouting("web", active, new PathNormalizer(false), forwarding,
            "https");
    private final ClientPeer client = forwarding.peer(new InetSocketAddress("10.1.2.3", 50000), 443);

    private void install() throws Exception {
        UpstreamEndpoints endpoints = new UpstreamEndpoints(UpstreamSettings.defaults());
        DataPlaneCompiler compiler = new DataPlaneCompiler(endpoints, UpstreamSettings.defaults(),
                new MiddlewareFactory(), new RouterCompiler());
        Router app = new Router("app", List.of("web"), new RouteMatch.Rule("Host(`app.test`) && PathPrefix(`/api`)"),
                0, List.of(), "svc", null);
        Service svc = Service.LoadBalancer.of("svc", List.of(Endpoint.ready("127.0.0.1", 9)));
        RoutingSnapshot snapshot = new RoutingSnapshot(new SnapshotVersion(1, 1), List.of(app), List.of(svc),
                List.of(), List.of());
        active.installIfNewer(new ActiveSnapshot.Applied<>(snapshot.version(), compiler.compile(snapshot)));
    }

    private static HttpRequest get(String uri) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        request.headers().set("host", "app.test");
        return request;
    }

    @Test
    void withoutASnapshotNothingIsRouted() {
        Exchange exchange = new Exchange("GET", 0);
        assertThat(routing.route(get("/api/a"), client, exchange)).isEqualTo(RequestRouting.Outcome.NO_CONFIG);
        assertThat(exchange.route).isNull();
    }

    @Test
    void aMalformedPathIsRefusedBeforeTheSnapshotIsRead() {
        assertThat(routing.route(get("/a%zz"), client, new Exchange("GET", 0)))
                .isEqualTo(RequestRouting.Outcome.BAD_PATH);
    }

    @Test
    void aMatchSetsTheRouteAndTheRequestTheMiddlewaresSee() throws Exception {
        install();
        Exchange exchange = new Exchange("GET", 0);
        assertThat(routing.route(get("/api/./b/../c?x=1"), client, exchange))
                .isEqualTo(RequestRouting.Outcome.ROUTED);

        assertThat(exchange.route.routerId()).isEqualTo("app");
        assertThat(exchange.forwarded.path()).isEqualTo("/api/c");
        assertThat(exchange.forwarded.query()).isEqualTo("x=1");
        assertThat(exchange.forwarded.uri()).isEqualTo("/api/c?x=1");
        assertThat(exchange.forwarded.method()).isEqualTo("GET");
    }

    @Test
    void noMatchingRouteIsNoRoute() throws Exception {
        install();
        Exchange exchange = new Exchange("GET", 0);
        assertThat(routing.route(get("/other"), client, exchange)).isEqualTo(RequestRouting.Outcome.NO_ROUTE);
        assertThat(exchange.forwarded).isNull();
        assertThat(RequestRouting.Outcome.NO_ROUTE.status).isEqualTo(404);
    }
}
