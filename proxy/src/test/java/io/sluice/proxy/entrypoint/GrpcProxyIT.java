package io.sluice.proxy.entrypoint;

import static io.sluice.proxy.testing.GrpcEchoBackend.SAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.apply.DataPlaneCompiler;
import io.sluice.proxy.middleware.MiddlewareFactory;
import io.sluice.proxy.router.RouterCompiler;
import io.sluice.proxy.testing.GrpcEchoBackend;
import io.sluice.proxy.upstream.UpstreamEndpoints;
import io.sluice.proxy.upstream.UpstreamSettings;
import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.SnapshotVersion;
import io.sluice.snapshot.Strategy;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A grpc-java client calls a grpc-java server through the proxy over HTTP/2: h2c with prior knowledge on both
 * sides, the backend service with scheme {@code h2c}.
 */
class GrpcProxyIT {
    private static final MethodDescriptor<String, String> SLOW = GrpcEchoBackend.unary("test.Echo/Slow");
    private static final MethodDescriptor<String, String> FAIL = GrpcEchoBackend.unary("test.Echo/Fail");
    private static final MethodDescriptor<String, String> NOWHERE = GrpcEchoBackend.unary("test.Missing/Call");
    private static final MethodDescriptor<String, String> EMPTY_SERVICE = GrpcEchoBackend.unary("test.Empty/Call");
    private static final MethodDescriptor<String, String> DOWN = GrpcEchoBackend.unary("test.Down/Call");

    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final AtomicBoolean slowSawDeadline = new AtomicBoolean();
    private final CountDownLatch slowCancelled = new CountDownLatch(1);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private GrpcEchoBackend backend;
    private EntrypointServer proxy;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        backend = GrpcEchoBackend.cleartext(List.of(
                ServerMethodDefinition.create(SLOW, ServerCalls.asyncUnaryCall((request, response) -> {
                    slowSawDeadline.set(Context.current().getDeadline() != null);
                    ((ServerCallStreamObserver<String>) response).setOnCancelHandler(slowCancelled::countDown);
                    timer.schedule(() -> {
                        if (!((ServerCallStreamObserver<String>) response).isCancelled()) {
                            response.onNext("late");
                            response.onCompleted();
                        }
                    }, 3, TimeUnit.SECONDS);
                })),
                ServerMethodDefinition.create(FAIL, ServerCalls.asyncUnaryCall((request, response) ->
                        response.onError(Status.NOT_FOUND.withDescription("no such thing: " + request)
                                .asRuntimeException())))));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        DataPlaneCompiler compiler = new DataPlaneCompiler(new UpstreamEndpoints(UpstreamSettings.defaults()),
                UpstreamSettings.defaults(), new MiddlewareFactory(), new RouterCompiler());
        SnapshotVersion version = new SnapshotVersion(1, 1);
        RoutingSnapshot snapshot = new RoutingSnapshot(version,
                List.of(route("echo", "/test.Echo/", "grpc"), route("empty", "/test.Empty/", "empty"),
                        route("down", "/test.Down/", "down")),
                List.of(h2c("grpc", List.of(Endpoint.ready("127.0.0.1", backend.port()))),
                        h2c("empty", List.of()),
                        h2c("down", List.of(Endpoint.ready("127.0.0.1", closedPort)))),
                List.of(), List.of());
        active.installIfNewer(new ActiveSnapshot.Applied<>(version, compiler.compile(snapshot)));
        proxy = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                new SimpleMeterRegistry(), 2, false, null, Http2Limits.defaults(100));
        int port = proxy.start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    private static Router route(String id, String prefix, String service) {
        return new Router(id, List.of("web"), new RouteMatch.Rule("PathPrefix(`" + prefix + "`)"), 0, List.of(),
                service, null);
    }

    private static Service h2c(String id, List<Endpoint> endpoints) {
        return new Service.LoadBalancer(id, endpoints, Scheme.H2C, true, Strategy.WRR, null, null, null);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        proxy.close();
        backend.close();
        timer.shutdownNow();
    }

    @Test
    void unaryCallsAreMultiplexedOverOneBackendConnection() throws Exception {
        assertThat(ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT, "world")).isEqualTo("hello world");
        assertThat(backend.lastHeaders()).contains("x-forwarded-proto=http")
                .doesNotContain("x-http2");
        assertThat(GrpcEchoBackend.sayConcurrently(channel, 20))
                .isEqualTo(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "hello n" + i).toList());
        assertThat(backend.peers()).as("one client connection: one event loop, one h2c connection").hasSize(1);
    }

    @Test
    void serverStreamingPassesEveryMessageAndTheTrailers() {
        assertThat(GrpcEchoBackend.count(channel, 5)).containsExactly("n1", "n2", "n3", "n4", "n5");
    }

    @Test
    void backendErrorsKeepTheirStatusAndMessage() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, FAIL, CallOptions.DEFAULT, "x"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no such thing: x");
                });
        assertThat(ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT, "again")).isEqualTo("hello again");
    }

    @Test
    void proxyErrorsAreGrpcStatuses() {
        assertThat(codeOf(NOWHERE)).as("no route").isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(codeOf(EMPTY_SERVICE)).as("no endpoint").isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(codeOf(DOWN)).as("connect refused").isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void deadlinesReachTheBackendAndCancelTheCallThere() throws Exception {
        // connected and warm first, so that the deadline is spent on the call
        assertThat(ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT, "warm")).isEqualTo("hello warm");
        long start = System.nanoTime();
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, SLOW,
                CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS), "x"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
        assertThat(slowCancelled.await(5, TimeUnit.SECONDS)).as("the backend call was cancelled").isTrue();
        assertThat(slowSawDeadline.get()).as("grpc-timeout forwarded").isTrue();
    }

    private Status.Code codeOf(MethodDescriptor<String, String> method) {
        try {
            ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
                    "x");
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }
}
