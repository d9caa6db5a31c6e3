package io.sluice.proxy.entrypoint;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.proxy.middleware.ForwardedRequest;

/**
 * How message heads change as they cross the proxy (RFC 9110 section 7.6): hop-by-hop fields stay on their own
 * connection, the request gains the forwarding fields and the path the middlewares chose, and the response is
 * framed for the client connection. A WebSocket upgrade is the one hop-by-hop exchange carried through.
 */
final class ProxiedHeads {
    private final ForwardingHeaders forwarding;
    private final String scheme;

    /** @param scheme {@code http} or {@code https}: what the entrypoint speaks, for {@code X-Forwarded-Proto} */
    ProxiedHeads(ForwardingHeaders forwarding, String scheme) {
        this.forwarding = forwarding;
        this.scheme = scheme;
    }

    /**
     * Rewrites a request head the middlewares let through into the one the upstream gets.
     *
     * @return whether it asks for a WebSocket upgrade (kept in the head)
     */
    boolean toUpstream(HttpRequest request, ForwardedRequest forwarded, ClientPeer peer) {
        boolean websocket = "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
        ForwardingHeaders.removeHopByHop(request.headers());
        if (websocket) {
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            request.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        }
        forwarding.addForwarded(request.headers(), peer, scheme);
        request.setUri(forwarded.uri());
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        return websocket;
    }

    /**
     * Frames a final response head (hop-by-hop fields already gone) for the client connection, in the proxy's own
     * HTTP version (RFC 9110 section 6.2: 1.1, whatever the backend spoke). A body of unknown length goes chunked to
     * an HTTP/1.1 client; an HTTP/1.0 client knows no chunked coding, so there such a body ends with the connection.
     * {@code Connection: close} announces that the connection ends with this response; an HTTP/1.0 client whose
     * connection stays open is told {@code Connection: keep-alive}, as its version's default is to close.
     *
     * @return whether the client connection must close after this response
     */
    static boolean frameForClient(HttpResponse response, String method, boolean closeAfter, boolean clientHttp10) {
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        int code = response.status().code();
        boolean close = closeAfter;
        if (!HttpUtil.isContentLengthSet(response) && code != 204 && code != 304 && !"HEAD".equals(method)) {
            if (clientHttp10) {
                response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                close = true;
            } else if (!HttpUtil.isTransferEncodingChunked(response)) {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        }
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientHttp10) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return close;
    }

    /** The backend's {@code 101} to a WebSocket upgrade, as the client gets it. */
    static void switchingProtocols(HttpResponse response) {
        ForwardingHeaders.removeHopByHop(response.headers());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        response.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    }
}
