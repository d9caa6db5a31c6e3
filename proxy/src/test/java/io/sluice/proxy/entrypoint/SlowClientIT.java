package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.testing.TricklingClient;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client trickling its request head is cut off with 408, however steadily it trickles. */
class SlowClientIT {
    private EntrypointServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = new EntrypointServer(EntrypointSettings.defaults("web", 0).withBindAddress("127.0.0.1")
                .withHeaderReadTimeout(Duration.ofMillis(500)), new ActiveSnapshot<CompiledSnapshot>(),
                new SimpleMeterRegistry(), 1, false);
        port = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void tricklingHeadGets408AndClose() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            long started = System.nanoTime();
            // 40 x 50 ms = 2 s, well past the 500 ms deadline
            TricklingClient.trickle(out, "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ", 40, 50);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aPromptRequestIsServedNormally() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[12];
            int n = socket.getInputStream().readNBytes(buf, 0, 12);
            assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 503"); // no snapshot
            Thread.sleep(800); // idle keep-alive: the head deadline does not apply between requests
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String rest = new String(socket.getInputStream().readNBytes(200), StandardCharsets.US_ASCII);
            assertThat(rest).contains("HTTP/1.1 503");
        }
    }
}
