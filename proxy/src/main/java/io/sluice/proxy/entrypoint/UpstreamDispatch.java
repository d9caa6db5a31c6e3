package io.sluice.proxy.entrypoint;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.Future;
import io.sluice.proxy.balancer.RequestCookies;
import io.sluice.proxy.balancer.UpstreamTarget;
import io.sluice.proxy.mirror.RequestMirror;
import io.sluice.proxy.upstream.UpstreamConnection;
import io.sluice.proxy.upstream.UpstreamLimitException;
import io.sluice.proxy.upstream.UpstreamTlsException;
import java.util.concurrent.TimeUnit;

/**
 * The upstream stage of an exchange: picks an endpoint of the route's service (sticky cookies included), sets the
 * {@code Host} it gets, starts the mirror copy, and leases a connection from the endpoint's pool on the client
 * connection's event loop (an HTTP/1.1 one for a WebSocket upgrade, even when the backend speaks HTTP/2). A
 * failed connect, or a connection lost before any response, is tried again after the route's backoff when
 * {@link UpstreamRetry} allows it. A lease that is not ready at once (a new connection, or a wait in the
 * endpoint's queue at its connection limit) is given up when the client closes, which frees its place in the
 * queue. What becomes of a lease, or of giving up, is the {@link Attempts coordinator}'s.
 */
final class UpstreamDispatch {
    /** The coordinator of the client connection, told how each attempt ended. */
    interface Attempts {
        /** A connection to the picked endpoint is leased for the exchange: send {@code request} on it. */
        void leased(UpstreamConnection connection, HttpRequest request, long responseHeaderTimeoutMillis);

        /** No attempt can be made, or none is left: answer the client. */
        void unavailable(int status, String text, String reason);

        /** Whether {@code exchange} is still the connection's current one and still waits for its response. */
        boolean awaitsUpstream(Exchange exchange);
    }

    private final Channel client;
    private final Attempts attempts;

    UpstreamDispatch(Channel client, Attempts attempts) {
        this.client = client;
        this.attempts = attempts;
    }

    /** Picks an endpoint and leases a connection to it; called again, with a replayable head, to retry. */
    void dispatch(Exchange exchange, HttpRequest request) {
        UpstreamTarget target = exchange.route.service().pick(RequestCookies.of(request.headers()));
        exchange.picked = target;
        if (target == null) {
            attempts.unavailable(503, "no available endpoint", "no-endpoint");
            return;
        }
        String originalHost = exchange.retry.originalHost();
        request.headers().set(HttpHeaderNames.HOST, !target.passHostHeader() || originalHost == null
                ? target.endpoint().authority() : originalHost);
        if (exchange.mirror == null) {
            exchange.mirror = RequestMirror.of(target, request, ClientSocket.of(client));
        }
        Future<UpstreamConnection> acquired = target.endpoint()
                .pool(client.eventLoop(), ClientSocket.of(client).getClass())
                .acquire(target.settings(), exchange.retry.freshConnection(), exchange.websocket);
        long responseTimeout = target.settings().responseHeaderTimeout().toMillis();
        if (acquired.isDone()) {
            connected(exchange, acquired, request, responseTimeout);
        } else {
            ChannelFutureListener giveUp = f -> acquired.cancel(false);
            client.closeFuture().addListener(giveUp);
            acquired.addListener(f -> {
                client.closeFuture().removeListener(giveUp);
                connected(exchange, acquired, request, responseTimeout);
            });
        }
    }

    private void connected(Exchange exchange, Future<UpstreamConnection> acquired, HttpRequest request,
            long responseTimeout) {
        if (!client.isActive() || acquired.isCancelled()) {
            if (acquired.isSuccess()) {
                acquired.getNow().release(false);
            }
            return;
        }
        if (!acquired.isSuccess()) {
            if (retryLater(exchange, request, exchange.retry.afterConnectFailure())) {
                return;
            }
            if (acquired.cause() instanceof UpstreamLimitException) {
                UpstreamLimitException.Reason why = ((UpstreamLimitException) acquired.cause()).reason();
                attempts.unavailable(503, why.text(), why.tag());
                return;
            }
            attempts.unavailable(502, "bad gateway",
                    acquired.cause() instanceof UpstreamTlsException ? "upstream-tls" : "connect-failed");
            return;
        }
        attempts.leased(acquired.getNow(), request, responseTimeout);
    }

    /**
     * The exchange's upstream connection closed before any response: when {@link UpstreamRetry} allows it, drops
     * the connection and schedules the retry.
     *
     * @return whether a retry is scheduled
     */
    boolean retryLostConnection(Exchange exchange) {
        if (!exchange.requestDone || exchange.pendingHead != null) {
            return false;
        }
        long delay = exchange.retry.afterLostConnection(exchange.upstream.reused());
        if (delay == UpstreamRetry.NO_RETRY) {
            return false;
        }
        exchange.dropUpstream();
        return retryLater(exchange, exchange.retry.replayHead(), delay);
    }

    /** Runs {@link #dispatch} again after {@code delayMillis}, unless the delay says not to retry. */
    private boolean retryLater(Exchange exchange, HttpRequest request, long delayMillis) {
        if (delayMillis == UpstreamRetry.NO_RETRY) {
            return false;
        }
        client.eventLoop().schedule(() -> {
            if (attempts.awaitsUpstream(exchange)) {
                dispatch(exchange, request);
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
        return true;
    }
}
