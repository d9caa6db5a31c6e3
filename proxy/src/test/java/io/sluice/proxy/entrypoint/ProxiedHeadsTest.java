package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.proxy.middleware.ForwardedRequest;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxiedHeadsTest {
    private final ForwardingHeaders forwarding = new ForwardingHeaders(new TrustedProxies(List.of()));
    private final ProxiedHeads heads = new ProxiedHeads(forwarding, "https");
    private final InetSocketAddress client = new InetSocketAddress("10.1.2.3", 50000);

    private static HttpRequest request(String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/old?x=1");
        request.headers().add("host", "app.test");
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static ForwardedRequest rewrittenTo(HttpRequest request, String path, String query) {
        return new ForwardedRequest(path, query, request.headers(), "https", "app.test");
    }

    @Test
    void requestLosesHopByHopFieldsAndGainsForwardingFieldsAndTheMiddlewaresPath() {
        HttpRequest request = request("connection", "keep-alive, x-secret", "x-secret", "1", "keep-alive", "300",
                "te", "trailers", "x-kept", "yes");
        boolean websocket = heads.toUpstream(request, rewrittenTo(request, "/new", "y=2"), forwarding.peer(client, 8443));

        assertThat(websocket).isFalse();
        assertThat(request.uri()).isEqualTo("/new?y=2");
        assertThat(request.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(request.headers().names()).doesNotContain("connection", "x-secret", "keep-alive", "te");
        assertThat(request.headers().get("x-kept")).isEqualTo("yes");
        assertThat(request.headers().get("x-forwarded-for")).isEqualTo("10.1.2.3");
        assertThat(request.headers().get("x-forwarded-proto")).isEqualTo("https");
        assertThat(request.headers().get("x-forwarded-host")).isEqualTo("app.test");
    }

    @Test
    void everyNameInAConnectionListIsRemovedWhateverItsSpacingButTransferEncodingStays() {
        HttpRequest request = request("connection", ", x-a ,,X-B,\ttransfer-encoding ,", "connection", "x-c",
                "x-a", "1", "x-b", "2", "x-c", "3", "transfer-encoding", "chunked", "x-kept", "yes");
        heads.toUpstream(request, rewrittenTo(request, "/", null), forwarding.peer(client, 80));

        assertThat(request.headers().names()).doesNotContain("connection", "x-a", "x-b", "x-c");
        assertThat(request.headers().get("transfer-encoding")).isEqualTo("chunked");
        assertThat(request.headers().get("x-kept")).isEqualTo("yes");
    }

    @Test
    void webSocketUpgradeIsCarriedThroughAndNothingElseThatIsHopByHop() {
        HttpRequest request = request("connection", "Upgrade, x-secret", "upgrade", "WebSocket", "x-secret", "1");
        boolean websocket = heads.toUpstream(request, rewrittenTo(request, "/ws", null), forwarding.peer(client, 80));

        assertThat(websocket).isTrue();
        assertThat(request.headers().get("connection")).isEqualTo("upgrade");
        assertThat(request.headers().get("upgrade")).isEqualTo("websocket");
        assertThat(request.headers().contains("x-secret")).isFalse();
    }

    @Test
    void upgradeToAnotherProtocolIsDropped() {
        HttpRequest request = request("connection", "upgrade", "upgrade", "h2c");
        assertThat(heads.toUpstream(request, rewrittenTo(request, "/", null), forwarding.peer(client, 80))).isFalse();
        assertThat(request.headers().contains("upgrade")).isFalse();
        assertThat(request.headers().contains("connection")).isFalse();
    }

    @ParameterizedTest(name = "{0} {1} length={2} close={3} HTTP/1.0 client={4} HTTP/1.0 backend={5}")
    @CsvSource({
            "200, GET, , false, false, false, true, , false",
            "200, GET, 5, false, false, false, false, , false",
            "200, HEAD, , false, false, false, false, , false",
            "204, GET, , false, false, false, false, , false",
            "304, GET, , false, false, false, false, , false",
            "200, GET, , true, false, false, true, close, true",
            "500, POST, 3, true, false, false, false, close, true",
            // the proxy answers in its own version, whatever the backend's
            "200, GET, 5, false, false, true, false, , false",
            "200, GET, , false, false, true, true, , false",
            // an HTTP/1.0 client gets no chunked coding: a body of unknown length ends with the connection
            "200, GET, , false, true, false, false, close, true",
            "200, GET, 5, false, true, false, false, keep-alive, false",
            "200, HEAD, , false, true, true, false, keep-alive, false",
            "200, GET, 5, true, true, false, false, close, true"})
    void finalResponsesAreFramedForTheClientConnection(int status, String method, String length, boolean close,
            boolean clientHttp10, boolean backendHttp10, boolean chunked, String connection, boolean closes) {
        HttpResponse response = new DefaultHttpResponse(backendHttp10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status));
        if (length != null) {
            response.headers().set("content-length", length);
        }
        boolean closing = ProxiedHeads.frameForClient(response, method, close, clientHttp10);

        assertThat(response.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(response.headers().contains("transfer-encoding", "chunked", true)).isEqualTo(chunked);
        assertThat(response.headers().get("connection")).isEqualTo(connection);
        assertThat(closing).isEqualTo(closes);
    }

    @Test
    void aChunkedBackendResponseReachesAnHttp10ClientUnchunked() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set("transfer-encoding", "chunked");

        assertThat(ProxiedHeads.frameForClient(response, "GET", false, true)).isTrue();
        assertThat(response.headers().contains("transfer-encoding")).isFalse();
        assertThat(response.headers().get("connection")).isEqualTo("close");
    }

    @Test
    void switchingProtocolsKeepsOnlyTheWebSocketUpgrade() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        response.headers().set("connection", "upgrade, x-hop").set("upgrade", "websocket").set("x-hop", "1")
                .set("sec-websocket-accept", "abc");
        ProxiedHeads.switchingProtocols(response);

        assertThat(response.headers().get("connection")).isEqualTo("upgrade");
        assertThat(response.headers().get("upgrade")).isEqualTo("websocket");
        assertThat(response.headers().contains("x-hop")).isFalse();
        assertThat(response.headers().get("sec-websocket-accept")).isEqualTo("abc");
    }
}
