package io.sluice.proxy.entrypoint;

import static io.sluice.proxy.entrypoint.ProxyFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.Service;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client's request fields reach the backend as the client wrote them (name case, order, repeated fields), minus
 * the hop-by-hop ones, plus the proxy's forwarding fields and {@code Host}, which the proxy sets again: the request
 * head crosses the proxy as bytes.
 */
class ClientRequestFieldsIT {
    private ScriptedBackend backend;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        backend = new ScriptedBackend((c, r, head) -> "ok");
        proxy = new ProxyFixture();
        proxy.install(List.of(route("r", "PathPrefix(`/`)", "svc")),
                List.of(Service.LoadBalancer.of("svc", List.of(Endpoint.ready("127.0.0.1", backend.port())))),
                List.of());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        backend.close();
    }

    @Test
    void fieldsArriveWithTheClientsCaseAndOrderPlusTheForwardingFields() throws Exception {
        String response = send("GET /p?q=1 HTTP/1.1\r\nHost: a.example\r\nX-CaSe-Mixed: One\r\naccept: */*\r\n"
                + "X-Dup: 1\r\nConnection: close, X-Hop\r\nx-dup: 2\r\nX-Hop: secret\r\nUser-Agent: raw/1 \t\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").endsWith("ok");
        List<String> lines = new ArrayList<>(Arrays.asList(backend.heads().get(0).split("\r\n")));
        assertThat(lines.remove(0)).isEqualTo("GET /p?q=1 HTTP/1.1");
        List<String> forwarding = new ArrayList<>();
        lines.removeIf(line -> line.startsWith("X-Forwarded-") || line.startsWith("X-Real-IP") ? forwarding.add(line)
                : false);
        assertThat(lines).as("Host is set again by the proxy, so it moves to the end, as it did with Netty's headers")
                .containsExactly("X-CaSe-Mixed: One", "accept: */*", "X-Dup: 1", "x-dup: 2", "User-Agent: raw/1",
                        "host: a.example");
        assertThat(forwarding).containsExactly("X-Forwarded-For: 127.0.0.1", "X-Forwarded-Proto: http",
                "X-Forwarded-Host: a.example", "X-Forwarded-Port: " + proxy.port(), "X-Real-IP: 127.0.0.1");
    }

    @Test
    void aBodyWithContentLengthFollowsItsHeadUnchanged() throws Exception {
        String response = send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nX-Tag: t\r\n"
                + "Connection: close\r\n\r\nhello");

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(backend.heads().get(0)).startsWith("POST /upload HTTP/1.1\r\nContent-Length: 5\r\nX-Tag: t\r\n");
    }

    @Test
    void aRequestPipelinedBehindARefusedUpgradeIsAnsweredToo() throws Exception {
        String response = send("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                + "GET /next HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

        assertThat(response.split("HTTP/1.1 200 OK", -1)).as("the backend answered the upgrade with 200, and the"
                + " request held behind it was decoded after that answer").hasSize(3);
        assertThat(backend.heads()).hasSize(2);
        assertThat(backend.heads().get(1)).startsWith("GET /next HTTP/1.1\r\n");
    }

    private String send(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
