package io.sluice.proxy.entrypoint;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A head and its whole body (the body's last and only part) as one message. Written as one, the HTTP/1.1 encoder
 * puts the head and a small body into one buffer, and the message passes the pipeline once instead of twice: for
 * the small keep-alive exchanges that are most of a proxy's traffic, a body-less request and a response whose body
 * arrived in the same read as its head. The head's headers and the part's buffer are taken over, not copied; the
 * part itself needs no release of its own after this (its buffer now belongs to the whole message).
 */
final class WholeMessages {
    private WholeMessages() {
    }

    static FullHttpRequest request(HttpRequest head, LastHttpContent body) {
        return new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(), body.content(),
                head.headers(), body.trailingHeaders());
    }

    /** {@code head} as a whole response with no body and no trailers (an HTTP/2 HEADERS frame that ends the stream). */
    static FullHttpResponse withoutBody(HttpResponse head) {
        return new DefaultFullHttpResponse(head.protocolVersion(), head.status(), Unpooled.EMPTY_BUFFER, head.headers(),
                EmptyHttpHeaders.INSTANCE);
    }

    static FullHttpResponse response(HttpResponse head, LastHttpContent body) {
        return new DefaultFullHttpResponse(head.protocolVersion(), head.status(), body.content(), head.headers(),
                body.trailingHeaders());
    }
}
