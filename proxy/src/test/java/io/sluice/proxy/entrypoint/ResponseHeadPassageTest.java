package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.proxy.upstream.UpstreamHttpCodec;
import io.sluice.proxy.upstream.WireHeaders;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A backend's response head from the upstream codec to the client's codec, with what the proxy does to it in
 * between (hop-by-hop fields removed, framing for the client): the client gets the backend's fields byte for byte
 * minus the hop-by-hop ones, and the head never left the received bytes (no per-field strings on the way).
 */
class ResponseHeadPassageTest {
    private final EmbeddedChannel upstream = new EmbeddedChannel(new UpstreamHttpCodec(32 * 1024));
    private final EmbeddedChannel client = new EmbeddedChannel(new StrictHttpServerCodec(4096, 8192,
            new OwnHeaderNames(ForwardingHeaders.names())));

    @AfterEach
    void close() {
        upstream.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    /** The client asks, the request goes upstream, the backend answers {@code backend}; what the client reads. */
    private String proxied(String method, String backend) {
        return proxied(method, backend, false);
    }

    /** @param backendCloses whether the backend closes the connection after {@code backend} */
    private String proxied(String method, String backend, boolean backendCloses) {
        client.writeInbound(Unpooled.copiedBuffer(method + " / HTTP/1.1\r\nHost: a\r\n\r\n", StandardCharsets.US_ASCII));
        ReferenceCountUtil.release(client.readInbound()); // the head (its method is queued for the encoder)
        ReferenceCountUtil.release(client.readInbound()); // its empty last part
        upstream.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), "/"));
        ReferenceCountUtil.release(upstream.readOutbound());
        upstream.writeInbound(Unpooled.copiedBuffer(backend, StandardCharsets.ISO_8859_1));
        if (backendCloses) {
            upstream.finish();
        }

        HttpResponse head = upstream.readInbound();
        ForwardingHeaders.removeHopByHop(head.headers());
        ProxiedHeads.frameForClient(head, method, false, false);
        HttpObject next = upstream.readInbound();
        while (!(next instanceof LastHttpContent)) {
            client.writeOutbound(head); // a body in several parts: head first, then each part
            head = null;
            client.writeOutbound(next);
            next = upstream.readInbound();
        }
        if (head != null) {
            assertThat(head.headers()).isInstanceOf(WireHeaders.class);
            assertThat(((WireHeaders) head.headers()).onWire()).as("fields still the received bytes").isTrue();
            client.writeOutbound(WholeMessages.response(head, (LastHttpContent) next));
        } else {
            client.writeOutbound(next);
        }
        StringBuilder out = new StringBuilder();
        for (Object written; (written = client.readOutbound()) != null; ) {
            ByteBuf bytes = written instanceof ByteBuf ? (ByteBuf) written : ((HttpContent) written).content();
            out.append(bytes.toString(StandardCharsets.ISO_8859_1));
            ReferenceCountUtil.release(written);
        }
        return out.toString();
    }

    @Test
    void theBackendsFieldsReachTheClientAsSentLessTheHopByHopOnes() {
        String backend = "HTTP/1.1 200 OK\r\n"
                + "Server: nginx\r\n"
                + "content-type:text/plain; charset=utf-8\r\n"
                + "Content-Length: 5\r\n"
                + "Connection: keep-alive, X-Hop\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "X-Hop: dropped\r\n"
                + "Set-Cookie: a=1\r\n"
                + "\r\nhello";
        assertThat(proxied("GET", backend)).isEqualTo("HTTP/1.1 200 OK\r\n"
                + "Server: nginx\r\n"
                + "content-type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 5\r\n"
                + "Set-Cookie: a=1\r\n"
                + "\r\nhello");
    }

    @Test
    void aCloseDelimitedHttp10BodyIsChunkedForTheClientInHttp11() {
        String backend = "HTTP/1.0 200 OK\r\nX-A: 1\r\n\r\nuntil the end";
        assertThat(proxied("GET", backend, true)).isEqualTo("HTTP/1.1 200 OK\r\nX-A: 1\r\ntransfer-encoding: chunked\r\n\r\n"
                + "d\r\nuntil the end\r\n0\r\n\r\n");
    }

    @Test
    void aResponseToHeadKeepsItsLengthAndSendsNoBody() {
        String backend = "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nETag: \"x\"\r\n\r\n";
        assertThat(proxied("HEAD", backend))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nETag: \"x\"\r\n\r\n");
    }

    @Test
    void aChunkedBodyIsChunkedAgainForTheClient() { // extensions are not passed on
        String backend = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
                + "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n";
        assertThat(proxied("GET", backend)).isEqualTo("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
                + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
    }
}
