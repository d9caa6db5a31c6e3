package io.sluice.proxy.middleware;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * One step of a router's middleware chain. It sees the request head and either lets it continue (possibly
 * after changing its path or headers) or answers it directly; on the way back it may change the response head.
 * Implementations are immutable and shared by every event loop.
 */
public interface HttpMiddleware {

    /** @return null to continue, or the answer to send instead of proxying */
    Answer onRequest(ForwardedRequest request);

    /** Adjusts the response head before it goes to the client. */
    default void onResponse(ForwardedRequest request, HttpHeaders responseHeaders) {
    }
}
