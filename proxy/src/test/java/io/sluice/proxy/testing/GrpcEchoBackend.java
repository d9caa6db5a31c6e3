package io.sluice.proxy.testing;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The grpc backend the gRPC tests call through the proxy: a real grpc-java server on 127.0.0.1, in cleartext
 * (h2c, prior knowledge) or over TLS, serving {@code test.Echo} with a unary {@link #SAY} ("hello " + request) and
 * a server-streaming {@link #COUNT} ("n1" to "n<request>"), plus whatever methods a test adds. Messages are UTF-8
 * strings, so no protobuf is generated. It records each call's transport peer (how many connections the proxy
 * opened) and the last call's request headers (what the proxy forwarded).
 */
public final class GrpcEchoBackend implements AutoCloseable {
    /** The service name of {@link #SAY}, {@link #COUNT} and the methods a test adds. */
    public static final String SERVICE = "test.Echo";
    public static final MethodDescriptor<String, String> SAY = unary(SERVICE + "/Say");
    public static final MethodDescriptor<String, String> COUNT =
            method(SERVICE + "/Count", MethodDescriptor.MethodType.SERVER_STREAMING);

    private final Set<SocketAddress> peers = ConcurrentHashMap.newKeySet();
    private final AtomicReference<String> lastHeaders = new AtomicReference<>();
    private final Server server;

    private GrpcEchoBackend(NettyServerBuilder builder, List<ServerMethodDefinition<?, ?>> moreMethods)
            throws IOException {
        ServerServiceDefinition.Builder echo = ServerServiceDefinition.builder(SERVICE)
                .addMethod(SAY, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext("hello " + request);
                    response.onCompleted();
                }))
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((request, response) -> {
                    for (int i = 1; i <= Integer.parseInt(request); i++) {
                        response.onNext("n" + i);
                    }
                    response.onCompleted();
                }));
        moreMethods.forEach(echo::addMethod);
        server = builder.addService(ServerInterceptors.intercept(echo.build(), new CallRecorder())).build().start();
    }

    /** Starts a cleartext (h2c) backend serving {@link #SAY}, {@link #COUNT} and {@code moreMethods}. */
    public static GrpcEchoBackend cleartext(List<ServerMethodDefinition<?, ?>> moreMethods) throws IOException {
        return new GrpcEchoBackend(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                moreMethods);
    }

    /** Starts a backend that speaks only HTTP/2 over TLS (ALPN {@code h2}) with the given PEM certificate and key. */
    public static GrpcEchoBackend tls(String certificatePem, String keyPem) throws IOException {
        return new GrpcEchoBackend(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(GrpcSslContexts.forServer(
                        new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)),
                        new ByteArrayInputStream(keyPem.getBytes(StandardCharsets.US_ASCII))).build()),
                List.of());
    }

    /** A unary method with UTF-8 string messages, to call or (in {@link #SERVICE}) to add to the backend. */
    public static MethodDescriptor<String, String> unary(String fullMethodName) {
        return method(fullMethodName, MethodDescriptor.MethodType.UNARY);
    }

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type).setFullMethodName(name)
                .setRequestMarshaller(Utf8Marshaller.INSTANCE).setResponseMarshaller(Utf8Marshaller.INSTANCE)
                .build();
    }

    public int port() {
        return server.getPort();
    }

    /** The transport peers of every call so far: one per backend connection the proxy used. */
    public Set<SocketAddress> peers() {
        return Set.copyOf(peers);
    }

    /** The last call's request headers but binary ones, as {@code name=value } pairs; null before any call. */
    public String lastHeaders() {
        return lastHeaders.get();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Records each call's transport peer and request headers. */
    private final class CallRecorder implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            peers.add(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
            StringBuilder seen = new StringBuilder();
            for (String key : headers.keys()) {
                if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                    seen.append(key).append('=')
                            .append(headers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))).append(' ');
                }
            }
            lastHeaders.set(seen.toString());
            return next.startCall(call, headers);
        }
    }

    /** Messages as UTF-8 text. */
    private static final class Utf8Marshaller implements MethodDescriptor.Marshaller<String> {
        static final Utf8Marshaller INSTANCE = new Utf8Marshaller();

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
    }

    /**
     * A client's view: {@code calls} Say calls started at once on {@code channel} (named {@code n0}, {@code n1}, ...),
     * their replies in the order sent, each waited for at most 10 s.
     */
    public static List<String> sayConcurrently(Channel channel, int calls) throws Exception {
        List<ListenableFuture<String>> started = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            started.add(ClientCalls.futureUnaryCall(
                    channel.newCall(SAY, CallOptions.DEFAULT), "n" + i));
        }
        List<String> replies = new ArrayList<>();
        for (ListenableFuture<String> call : started) {
            replies.add(call.get(10, TimeUnit.SECONDS));
        }
        return replies;
    }

    /** A client's view: every message of a Count call to {@code upTo}, in order (the call ends with its trailers). */
    public static List<String> count(Channel channel, int upTo) {
        List<String> all = new ArrayList<>();
        ClientCalls.blockingServerStreamingCall(channel, COUNT, CallOptions.DEFAULT,
                Integer.toString(upTo)).forEachRemaining(all::add);
        return all;
    }
}
