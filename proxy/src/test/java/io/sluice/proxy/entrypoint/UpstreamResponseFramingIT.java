package io.sluice.proxy.entrypoint;

import static io.sluice.proxy.entrypoint.ProxyFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.Service;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Backend responses framed in the less common ways RFC 9112 allows, through the real proxy on real sockets: the
 * upstream decoder's whitespace-before-colon removal, close-delimited HTTP/1.0 bodies, chunked bodies with
 * extensions and trailers followed by a stray CRLF on a reused connection, bodiless HEAD responses that keep the
 * connection in step, and malformed heads answered with 502.
 */
class UpstreamResponseFramingIT {
    private ScriptedBackend backend;
    private ProxyFixture proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private void start(ScriptedBackend.RawScript script) throws Exception {
        backend = ScriptedBackend.raw(script);
        proxy = new ProxyFixture();
        proxy.install(List.of(route("r", "PathPrefix(`/`)", "svc")),
                List.of(Service.LoadBalancer.of("svc", List.of(Endpoint.ready("127.0.0.1", backend.port())))),
                List.of());
    }

    @Test
    void whitespaceBeforeAColonIsRemovedBeforeTheClientSeesIt() throws Exception {
        start((c, r, head) -> new ScriptedBackend.Raw(
                "HTTP/1.1 200 OK\r\nX-Spaced \t: yes\r\nContent-Length: 2\r\n\r\nok", false));

        String response = rawGet();

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nX-Spaced: yes\r\n").endsWith("ok");
    }

    @Test
    void closeDelimitedHttp10BodyIsForwardedWhole() throws Exception {
        String body = "old style body ".repeat(3000);
        start((c, r, head) -> new ScriptedBackend.Raw("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + body,
                true));

        HttpResponse<String> response = proxy.get("/old");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void chunkedBodyWithTrailersAndAStrayCrlfLeavesTheConnectionReusable() throws Exception {
        start((c, r, head) -> new ScriptedBackend.Raw(r == 1
                ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n"
                        + "0\r\nX-Checksum: abc\r\n\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nsecond" + r, false));

        HttpResponse<String> first = proxy.get("/a");
        HttpResponse<String> second = proxy.get("/b");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("hello world");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("second2");
        assertThat(backend.connections()).isEqualTo(1);
    }

    @Test
    void responseToHeadHasNoBodyWhateverItsContentLengthAndTheNextResponseStillParses() throws Exception {
        start((c, r, head) -> new ScriptedBackend.Raw(head.startsWith("HEAD")
                ? "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world", false));

        HttpResponse<String> head = proxy.send(HttpRequest.newBuilder(proxy.uri("/doc"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> get = proxy.get("/doc");

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-length")).hasValue("11");
        assertThat(get.body()).isEqualTo("hello world");
        assertThat(backend.connections()).isEqualTo(1);
    }

    @Test
    void malformedHeadsGet502() throws Exception {
        List<String> malformed = List.of(
                "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
                "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX-Nul: a\u0000b\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n");
        start((c, r, head) -> new ScriptedBackend.Raw(malformed.get(c - 1), false));

        for (int i = 0; i < malformed.size(); i++) {
            assertThat(proxy.get("/bad" + i).statusCode()).as(malformed.get(i)).isEqualTo(502);
        }
    }

    @Test
    void anHttp10ClientGetsAChunkedBodyUnchunkedUntilTheConnectionCloses() throws Exception {
        start((c, r, head) -> new ScriptedBackend.Raw(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", false));

        String response = raw("GET / HTTP/1.0\r\nHost: test\r\nConnection: keep-alive\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("\r\nconnection: close\r\n")
                .doesNotContainIgnoringCase("transfer-encoding").endsWith("\r\n\r\nhello world");
    }

    @Test
    void anHttp10BackendIsAnsweredForInHttp11() throws Exception {
        start((c, r, head) -> new ScriptedBackend.Raw("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", true));

        assertThat(rawGet()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nok");
    }

    /** A GET on a raw socket, returning everything the proxy sends until it closes. */
    private String rawGet() throws Exception {
        return raw("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    }

    private String raw(String request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
