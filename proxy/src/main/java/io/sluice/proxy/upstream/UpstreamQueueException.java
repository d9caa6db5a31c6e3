package io.sluice.proxy.upstream;

/**
 * A request waited for a connection to an endpoint at its connection limit and did not get one: the queue was
 * full, the wait timed out, or the endpoint left the routing snapshot while the request waited. Answered 503.
 */
public final class UpstreamQueueException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the wait ended without a connection, with the answer's reason tag and body. */
    public enum Reason {
        FULL("upstream-queue-full", "upstream queue full"),
        TIMEOUT("upstream-queue-timeout", "upstream queue timeout"),
        REMOVED("upstream-removed", "upstream endpoint removed");

        private final String tag;
        private final String text;

        Reason(String tag, String text) {
            this.tag = tag;
            this.text = text;
        }

        /** The {@code reason} of the proxy's own answer (access log, {@code sluice_proxy_answers}). */
        public String tag() {
            return tag;
        }

        /** The short body of the 503. */
        public String text() {
            return text;
        }
    }

    private final transient Reason reason;

    public UpstreamQueueException(String authority, Reason reason) {
        super(reason.text() + " for " + authority, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
