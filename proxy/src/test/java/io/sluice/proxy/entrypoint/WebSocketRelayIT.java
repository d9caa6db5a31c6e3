package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A WebSocket upgrade is forwarded, and after the 101 bytes flow both ways untouched. */
class WebSocketRelayIT {
    private ServerSocket backend;
    private EntrypointServer server;
    private int port;
    private final AtomicReference<String> upgradeSeen = new AtomicReference<>();
    private final ActiveSnapshot<CompiledSnapshot> active = new ActiveSnapshot<>();
    private final CompletableFuture<Void> backendSawEnd = new CompletableFuture<>();
    private boolean serverClosed;

    @BeforeEach
    void start() throws Exception {
        backend = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serveOneUpgrade, "ws-backend");
        t.setDaemon(true);
        t.start();
        DataPlaneCompiler compiler = new DataPlaneCompiler(new UpstreamEndpoints(UpstreamSettings.defaults()),
                UpstreamSettings.defaults(), new MiddlewareFactory(), new RouterCompiler());
        SnapshotVersion v = new SnapshotVersion(1, 1);
        active.installIfNewer(new ActiveSnapshot.Applied<>(v, compiler.compile(new RoutingSnapshot(v,
                List.of(new Router("ws", List.of(), new RouteMatch.Rule("PathPrefix(`/`)"), 0, List.of(), "svc",
                        null)),
                List.of(Service.LoadBalancer.of("svc", List.of(Endpoint.ready("127.0.0.1",
                        backend.getLocalPort())))), List.of(), List.of()))));
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1"), active,
                new SimpleMeterRegistry(), 1, false);
        port = server.start();
    }

    private void serveOneUpgrade() {
        try (Socket s = backend.accept()) {
            String head = readHead(s.getInputStream());
            upgradeSeen.set(head);
            s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] buf = new byte[1024];
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(("echo:" + new String(buf, 0, n, StandardCharsets.US_ASCII))
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            backendSawEnd.complete(null); // read returned -1: the proxy closed its side politely
        } catch (Exception ignored) {
            // the test closes the connection
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }

    @AfterEach
    void stop() throws Exception {
        if (!serverClosed) {
            server.close();
        }
        backend.close();
    }

    @Test
    void relaysBytesBothWaysAfterSwitchingProtocols() throws Exception {
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(5000);
            client.getOutputStream().write(("GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
                    + "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: k\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = readHead(client.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: websocket");
            assertThat(upgradeSeen.get()).containsIgnoringCase("upgrade: websocket")
                    .containsIgnoringCase("connection: upgrade").contains("Sec-WebSocket-Key: k");
            for (String frame : List.of("hello", "again")) {
                assertThat(echo(client, frame)).isEqualTo("echo:" + frame);
            }
        }
    }

    @Test
    void bytesSentRightAfterTheUpgradeRequestReachTheBackendAfterThe101() throws Exception {
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(5000);
            client.getOutputStream().write(("GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: k\r\nSec-WebSocket-Version: 13\r\n\r\nearly\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 101");
            assertThat(new String(client.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
                    .as("held by the HTTP decoder until the switch, then relayed, not parsed as a request")
                    .isEqualTo("echo:early\r\n");
        }
    }

    @Test
    void anOpenWebSocketOutlivesASnapshotThatRemovesItsRoute() throws Exception {
        try (Socket client = upgraded()) {
            assertThat(echo(client, "before")).isEqualTo("echo:before");
            SnapshotVersion v2 = new SnapshotVersion(1, 2);
            DataPlaneCompiler compiler = new DataPlaneCompiler(new UpstreamEndpoints(UpstreamSettings.defaults()),
                    UpstreamSettings.defaults(), new MiddlewareFactory(), new RouterCompiler());
            assertThat(active.installIfNewer(new ActiveSnapshot.Applied<>(v2, compiler.compile(
                    new RoutingSnapshot(v2, List.of(), List.of(), List.of(), List.of()))))).isTrue();

            assertThat(echo(client, "after")).as("the relay does not look at snapshots").isEqualTo("echo:after");
            try (Socket other = new Socket("127.0.0.1", port)) {
                other.setSoTimeout(5000);
                other.getOutputStream().write("GET /chat HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(readHead(other.getInputStream())).as("new requests see the new snapshot")
                        .startsWith("HTTP/1.1 404");
            }
        }
    }

    @Test
    void drainWaitsForAnOpenWebSocketAndCloseEndsItWithAFinOnBothSides() throws Exception {
        try (Socket client = upgraded()) {
            server.stopAccepting();
            CompletableFuture<Void> drained = server.drain();
            Thread.sleep(300);
            assertThat(drained).as("a WebSocket is not cut by the drain").isNotDone();
            assertThat(echo(client, "during")).isEqualTo("echo:during");

            server.close(); // what the proxy does when --drain-timeout runs out
            serverClosed = true;
            assertThat(client.getInputStream().read()).as("the client sees an orderly end, not a reset").isEqualTo(-1);
            backendSawEnd.get(5, TimeUnit.SECONDS);
        }
    }

    /** A client connection through the proxy that completed a WebSocket upgrade. */
    private Socket upgraded() throws Exception {
        Socket client = new Socket("127.0.0.1", port);
        client.setSoTimeout(5000);
        client.getOutputStream().write(("GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: k\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 101");
        return client;
    }

    private static String echo(Socket client, String frame) throws Exception {
        client.getOutputStream().write(frame.getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        return new String(client.getInputStream().readNBytes(5 + frame.length()), StandardCharsets.US_ASCII);
    }
}
