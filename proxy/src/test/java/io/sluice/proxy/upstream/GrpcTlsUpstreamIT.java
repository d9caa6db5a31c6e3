package io.sluice.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.entrypoint.EntrypointServer;
import io.sluice.proxy.entrypoint.EntrypointSettings;
import io.sluice.proxy.entrypoint.Http2Limits;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import io.sluice.snapshot.Strategy;
import io.sluice.snapshot.UpstreamTls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> SAY = method("test.Echo/Say",
            MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<String, String> COUNT = method("test.Echo/Count",
            MethodDescriptor.MethodType.SERVER_STREAMING);

    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final Set<SocketAddress> backendPeers = ConcurrentHashMap.newKeySet();
    private Server backend;
    private EntrypointServer proxy;
    private ManagedChannel channel;

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type).setFullMethodName(name)
                .setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();
    }

    @BeforeEach
    void start() throws Exception {
        UpstreamTestPki pki = new UpstreamTestPki("grpc-ca");
        UpstreamTestPki.Issued leaf = pki.issue(HOST);
        ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Echo")
                .addMethod(SAY, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext("hello " + request);
                    response.onCompleted();
                }))
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((request, response) -> {
                    for (int i = 1; i <= Integer.parseInt(request); i++) {
                        response.onNext("n" + i);
                    }
                    response.onCompleted();
                }))
                .build();
        backend = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(GrpcSslContexts.forServer(
                        new ByteArrayInputStream(leaf.certificatePem().getBytes(StandardCharsets.US_ASCII)),
                        new ByteArrayInputStream(leaf.keyPem().getBytes(StandardCharsets.US_ASCII))).build())
                .addService(ServerInterceptors.intercept(echo, new PeerRecorder())).build().start();
        DataPlaneCompiler compiler = new DataPlaneCompiler(new UpstreamEndpoints(UpstreamSettings.defaults()),
                UpstreamSettings.defaults(), new MiddlewareFactory(), new RouterCompiler());
        SnapshotVersion version = new SnapshotVersion(1, 1);
        Service service = new Service.LoadBalancer("grpc", List.of(Endpoint.ready("127.0.0.1", backend.getPort())),
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
        backend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void unaryCallsReachTheTlsBackendOverOneMultiplexedConnection() throws Exception {
        assertThat(ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT, "world")).isEqualTo("hello world");
        List<ListenableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(ClientCalls.futureUnaryCall(channel.newCall(SAY, CallOptions.DEFAULT), "n" + i));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(calls.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("hello n" + i);
        }
        assertThat(backendPeers).as("one event loop, one h2 connection over TLS").hasSize(1);
    }

    @Test
    void serverStreamingPassesEveryMessageAndTheTrailers() {
        Iterator<String> replies = ClientCalls.blockingServerStreamingCall(channel, COUNT, CallOptions.DEFAULT, "5");
        List<String> all = new ArrayList<>();
        replies.forEachRemaining(all::add);
        assertThat(all).containsExactly("n1", "n2", "n3", "n4", "n5");
    }

    /** Records each call's transport peer. */
    private final class PeerRecorder implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            backendPeers.add(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
            return next.startCall(call, headers);
        }
    }
}
