package io.sluice.proxy.middleware;

/**
 * How an exchange ended, as middlewares that watch whole exchanges see it: the status the client got (or 499 when
 * the client went away before a response started), and the time from the request head to the end.
 */
public record ExchangeOutcome(int status, long durationNanos) {
    /** Status recorded when the client closed the connection before any response was sent. */
    public static final int CLIENT_CLOSED = 499;

    /** A 502 or 504: the proxy could not get a usable response from the backend (Traefik's network error). */
    public boolean networkError() {
        return status == 502 || status == 504;
    }
}
