package io.sluice.proxy.upstream;

import static io.sluice.proxy.testing.GrpcEchoBackend.SAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.entrypoint.EntrypointServer;
import io.sluice.proxy.entrypoint.EntrypointSettings;
import io.sluice.proxy.entrypoint.Http2Limits;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.testing.GrpcEchoBackend;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import io.sluice.snapshot.Strategy;
import io.sluice.snapshot.UpstreamTls;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A grpc-java client calls, through the proxy, a grpc-java server that only speaks HTTP/2 over TLS (ALPN
 * {@code h2} only, certificate from a CA made for the test), behind a service with scheme {@code https}: unary
 * and server-streaming calls work and share one backend connection.
 */
class GrpcTlsUpstreamIT {
    private static final String HOST = "grpc.shop.svc.cluster.local";
    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private GrpcEchoBackend backend;
    private EntrypointServer proxy;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        UpstreamTestPki pki = new UpstreamTestPki("grpc-ca");
        UpstreamTestPki.Issued leaf = pki.issue(HOST);
        backend = GrpcEchoBackend.tls(leaf.certificatePem(), leaf.keyPem());
        DataPlaneCompiler compiler = new DataPlaneCompiler(new UpstreamEndpoints(UpstreamSettings.defaults()),
                UpstreamSettings.defaults(), new MiddlewareFactory(), new RouterCompiler());
        SnapshotVersion version = new SnapshotVersion(1, 1);
        Service service = new Service.LoadBalancer("grpc", List.of(Endpoint.ready("127.0.0.1", backend.port())),
                Scheme.HTTPS, true, Strategy.WRR, null, null, null, null,
                new UpstreamTls(HOST, false, List.of(pki.ca.certificatePem()), null));
        RoutingSnapshot snapshot = new RoutingSnapshot(version, List.of(new Router("echo", List.of("web"),
                new RouteMatch.Rule("PathPrefix(`/test.Echo/`)"), 0, List.of(), "grpc", null)), List.of(service),
                List.of(), List.of());
        active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(snapshot)));
        proxy = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                new SimpleMeterRegistry(), 1, false, null, Http2Limits.defaults(100));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.start()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        proxy.close();
        backend.close();
    }

    @Test
    void unaryCallsReachTheTlsBackendOverOneMultiplexedConnection() throws Exception {
        assertThat(ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT, "world")).isEqualTo("hello world");
        assertThat(GrpcEchoBackend.sayConcurrently(channel, 20))
                .isEqualTo(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "hello n" + i).toList());
        assertThat(backend.peers()).as("one event loop, one h2 connection over TLS").hasSize(1);
    }

    @Test
    void serverStreamingPassesEveryMessageAndTheTrailers() {
        assertThat(GrpcEchoBackend.count(channel, 5)).containsExactly("n1", "n2", "n3", "n4", "n5");
    }
}
