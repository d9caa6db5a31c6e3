package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.Middleware;
import io.sluice.snapshot.MiddlewareSpec;
import io.sluice.snapshot.Service;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that sends its request head, then its body after the proxy has already answered (413 from
 * buffering): it must still read that answer, not a connection reset.
 */
class LingeringCloseIT {
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = new ProxyFixture();
        proxy.install(List.of(ProxyFixture.route("small", "PathPrefix(`/`)", "svc", "limit")),
                List.of(Service.LoadBalancer.of("svc", List.of(Endpoint.ready("127.0.0.1", 9)))),
                List.of(new Middleware("limit", new MiddlewareSpec.Buffering(1000, 1000, 0, 0))));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void theAnswerSurvivesABodySentAfterIt() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 200000\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300); // the proxy has answered 413 and finished with the exchange
            out.write(new byte[200_000]);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 413");
        }
    }
}
