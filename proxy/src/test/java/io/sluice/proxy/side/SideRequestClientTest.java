package io.sluice.proxy.side;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.Future;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The side-request client against real servers on 127.0.0.1: answers, caps, timeouts, refused connections. */
class SideRequestClientTest {
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final SideRequestClient client = new SideRequestClient(Duration.ofMillis(5000), 1024);
    private final SideRequestClient impatient = new SideRequestClient(Duration.ofMillis(700), 1024);
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/hello", exchange -> {
            byte[] body = ("hello " + exchange.getRequestHeaders().getFirst("X-Who") + " via "
                    + exchange.getRequestHeaders().getFirst("Host")).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Set-Cookie", "a=1");
            exchange.getResponseHeaders().add("Set-Cookie", "b=2");
            exchange.sendResponseHeaders(203, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/big", exchange -> {
            byte[] body = new byte[4096];
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        client.close();
        impatient.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private SideResponse send(String url) throws Exception {
        return send(client, url);
    }

    private SideResponse send(SideRequestClient sender, String url) throws Exception {
        EventLoop loop = group.next();
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set("X-Who", "tester");
        Future<SideResponse> f = loop.submit(() -> sender.send(loop, NioSocketChannel.class, HttpMethod.GET,
                SideTarget.parse(url), headers, false)).get();
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void returnsTheWholeResponseWithRepeatedHeaders() throws Exception {
        SideResponse response = send("http://127.0.0.1:" + server.getAddress().getPort() + "/hello");
        assertThat(response.status()).isEqualTo(203);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo("hello tester via 127.0.0.1:" + server.getAddress().getPort());
        assertThat(response.all("set-cookie")).containsExactly("a=1", "b=2");
        assertThat(send("http://localhost:" + server.getAddress().getPort() + "/hello").status()).isEqualTo(203);
    }

    @Test
    void failsOnBodiesOverTheCapOnRefusalAndOnSilence() throws Exception {
        assertThatThrownBy(() -> send("http://127.0.0.1:" + server.getAddress().getPort() + "/big"))
                .isInstanceOf(ExecutionException.class);
        int refusing;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = s.getLocalPort();
        }
        int port = refusing;
        assertThatThrownBy(() -> send("http://127.0.0.1:" + port + "/")).isInstanceOf(ExecutionException.class);
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> send(impatient, "http://127.0.0.1:" + silent.getLocalPort() + "/"))
                    .hasCauseInstanceOf(TimeoutException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(600L, 3000L);
        }
    }

    @Test
    void parsesTargets() {
        assertThat(SideTarget.parse("http://auth.security.svc:8080/verify?x=1"))
                .isEqualTo(new SideTarget(false, "auth.security.svc", 8080, "/verify?x=1"));
        assertThat(SideTarget.parse("https://auth")).isEqualTo(new SideTarget(true, "auth", 443, "/"));
        assertThat(SideTarget.parse("http://[::1]:81/").authority()).isEqualTo("[::1]:81");
        assertThatThrownBy(() -> SideTarget.parse("ftp://x/")).hasMessageContaining("http://");
        assertThatThrownBy(() -> SideTarget.parse("http:///nohost")).hasMessageContaining("no host");
    }
}
