package io.sluice.proxy.middleware;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;

/**
 * A middleware that must ask another service before deciding (forwardAuth). The data path calls
 * {@link #decide} instead of {@link #onRequest} and waits for the future without blocking: meanwhile the request
 * body stays unread in the connection's backlog. The future completes on the client's event loop, with null to
 * continue (the middleware may have changed the request first) or the {@link Reply} to send instead.
 */
public interface AsyncHttpMiddleware extends HttpMiddleware {

    /**
     * @param client the client connection: its event loop runs the side request and completes the future, its
     *               transport is used for the side connection; nothing is written to it
     */
    Future<Reply> decide(ForwardedRequest request, Channel client);

    /** Never called: the decision needs I/O. */
    @Override
    default Answer onRequest(ForwardedRequest request) {
        throw new IllegalStateException(getClass().getSimpleName() + " decides asynchronously");
    }
}
