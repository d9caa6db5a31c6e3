package io.sluice.proxy.entrypoint;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.sluice.proxy.apply.CompiledRoute;
import io.sluice.proxy.balancer.UpstreamTarget;
import io.sluice.proxy.middleware.ForwardedRequest;
import io.sluice.proxy.mirror.RequestMirror;
import io.sluice.proxy.upstream.UpstreamConnection;

/**
 * The state of one request/response exchange on a client connection, made new for each request head so nothing
 * of one exchange leaks into the next. A plain mutable holder: it is read and written only on the connection's
 * event loop, by {@link ProxyHandler} and the stages it hands the exchange to, which compare it by identity to tell
 * a late callback of an earlier exchange from one of the current.
 */
final class Exchange {
    /** Method name of the request, as received. */
    final String method;
    /** {@link System#nanoTime()} when the request head arrived. */
    final long startNanos;

    /** The last part of the request body has been read from the client. */
    boolean requestDone;
    /** A final (non-interim) response head went to the client. */
    boolean responseStarted;
    /** The whole response went to the client. */
    boolean responseDone;
    /** The response being relayed is an interim (1xx) one; the final one follows. */
    boolean interim;
    /** Whatever request body still arrives is dropped: an answer was already given. */
    boolean discardBody;
    /** The client connection closes once this exchange ends. */
    boolean closeAfter;
    /** The client spoke HTTP/1.0: its responses cannot be chunked. */
    boolean clientHttp10;
    /** The backend allowed its connection to be reused (keep-alive). */
    boolean upstreamReusable;
    /** The request announced a body (chunked or a positive Content-Length). */
    boolean requestHasBody;
    /** The request asks for a WebSocket upgrade. */
    boolean websocket;
    /** The leased backend connection, while the exchange uses it. */
    UpstreamConnection upstream;
    /** The request as the middlewares see and rewrite it; null until routed. */
    ForwardedRequest forwarded;
    /** The matched route; null until routed. */
    CompiledRoute route;
    /** Status the client got (0 until known; 499 when the client left first). */
    int status;
    /** The endpoint the balancer picked for the current attempt. */
    UpstreamTarget picked;
    /** The copy of the request sent to a mirror, when the route mirrors. */
    RequestMirror mirror;
    /** The retry policy's state for this exchange. */
    UpstreamRetry retry;
    /** The request head, held back until the first body part proved well-framed. */
    HttpRequest pendingHead;
    /**
     * The final response head, when {@code ProxyHandler} writes whole responses: held until its body's first part
     * (or the end of the backend's read) so that a body that came whole goes out with it as one message.
     */
    HttpResponse heldResponse;
    /** How long the backend may take to start its response once the request is sent. */
    long headerTimeoutMillis;

    Exchange(String method, long startNanos) {
        this.method = method;
        this.startNanos = startNanos;
    }

    /** The state of a connection before its first request: nothing leased, nothing to record. */
    static Exchange none() {
        return new Exchange(null, 0L);
    }

    /** Gives the backend connection back as not reusable (closing it), if one is leased. */
    void dropUpstream() {
        UpstreamConnection dropped = upstream;
        upstream = null;
        if (dropped != null) {
            dropped.release(false);
        }
    }
}
