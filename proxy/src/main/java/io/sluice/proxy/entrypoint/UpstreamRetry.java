package io.sluice.proxy.entrypoint;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.sluice.proxy.middleware.RetryMiddleware;
import java.util.Set;

/**
 * Decides, for one exchange, whether a failed upstream attempt is tried again and after how long. Two reasons
 * to retry, both only while no response byte has come back:
 * <ul>
 *   <li>a {@code retry} middleware on the route: the endpoint could not be reached (nothing was sent, the body
 *       is still waiting in the client backlog), or the connection closed after a body-less request went out;</li>
 *   <li>without any middleware, a stale keep-alive connection: a body-less idempotent request (RFC 9110
 *       section 9.2.2) sent on a REUSED pooled connection that the backend had already closed is sent once
 *       more, at once, on a new connection (RFC 9112 section 9.3.1 allows this automatic retry).</li>
 * </ul>
 * Keeps the request head as it was first sent, to replay a copy of it: the head is not changed once sent (the
 * encoder only reads it, synchronously, on the exchange's event loop), so it is copied only when a retry
 * actually happens instead of for every body-less request. One per exchange; runs on the exchange's event loop.
 */
final class UpstreamRetry {
    /** No retry: fail the exchange. */
    static final long NO_RETRY = -1;

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

    private final RetryMiddleware policy;
    private final boolean replayable;
    private final boolean idempotent;
    private final String originalHost;
    private final HttpRequest head;
    private int tries = 1;
    private boolean staleRetried;
    private boolean responseSeen;
    private boolean freshConnection;

    private UpstreamRetry(RetryMiddleware policy, HttpRequest request, boolean hasBody, String originalHost) {
        this.policy = policy;
        this.originalHost = originalHost;
        this.replayable = !hasBody && !request.headers().contains(HttpHeaderNames.EXPECT);
        this.idempotent = IDEMPOTENT.contains(request.method().name());
        this.head = replayable ? request : null;
    }

    /**
     * @param policy       the route's retry middleware, or null
     * @param request      the head as it will be forwarded (hop-by-hop removed, forwarding headers added)
     * @param originalHost the client's Host, or null; a replay sets it again for the new target
     */
    static UpstreamRetry start(RetryMiddleware policy, HttpRequest request, boolean hasBody, String originalHost) {
        return new UpstreamRetry(policy, request, hasBody, originalHost);
    }

    String originalHost() {
        return originalHost;
    }

    /** A response head came back: from now on nothing is retried. */
    void responseSeen() {
        responseSeen = true;
    }

    /** Whether the next attempt must open a new connection instead of taking a pooled one. */
    boolean freshConnection() {
        return freshConnection;
    }

    /** The endpoint could not be reached; nothing was sent. @return the delay before retrying, or NO_RETRY */
    long afterConnectFailure() {
        freshConnection = false;
        return policyRetry();
    }

    /**
     * The connection closed before any response byte, after the request head (and no body) was sent.
     *
     * @param reusedConnection whether the connection had served an exchange before (it may have gone stale)
     * @return the delay before retrying, or NO_RETRY
     */
    long afterLostConnection(boolean reusedConnection) {
        if (responseSeen || !replayable) {
            return NO_RETRY;
        }
        if (reusedConnection && idempotent && !staleRetried) {
            staleRetried = true;
            freshConnection = true;
            return 0;
        }
        freshConnection = false;
        return policyRetry();
    }

    private long policyRetry() {
        if (responseSeen || policy == null || tries >= policy.attempts()) {
            return NO_RETRY;
        }
        tries++;
        return policy.delayBeforeRetry(tries - 1);
    }

    /** A copy of the request head to send again (the one sent may be in the encoder's hands). */
    HttpRequest replayHead() {
        return copy(head);
    }

    private static HttpRequest copy(HttpRequest request) {
        return new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                request.headers().copy());
    }
}
