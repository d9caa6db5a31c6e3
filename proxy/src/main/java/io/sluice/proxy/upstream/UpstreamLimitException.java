package io.sluice.proxy.upstream;

/**
 * A request found no connection to an endpoint at its per-endpoint connection limit, answered 503: queueing is
 * off ({@code --max-queued-per-endpoint 0}) or the endpoint speaks HTTP/2 (never queued), the queue was full, the
 * wait in it timed out, or the endpoint left the routing snapshot while the request waited. One type for one
 * outcome; the {@link Reason} says which of these it was.
 */
public final class UpstreamLimitException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why no connection was given, with the answer's reason tag and body. */
    public enum Reason {
        /** At the limit and not queued: queueing is off, or an HTTP/2 endpoint's connection limit. */
        LIMIT("upstream-limit", "upstream connection limit", false),
        /** The endpoint's queue was full. */
        FULL("upstream-queue-full", "upstream queue full", true),
        /** The request waited {@code --upstream-queue-timeout} in the queue. */
        TIMEOUT("upstream-queue-timeout", "upstream queue timeout", true),
        /** The endpoint left the snapshot while the request waited in its queue. */
        REMOVED("upstream-removed", "upstream endpoint removed", true);

        private final String tag;
        private final String text;
        private final boolean queued;

        Reason(String tag, String text, boolean queued) {
            this.tag = tag;
            this.text = text;
            this.queued = queued;
        }

        /** The {@code reason} of the proxy's own answer (access log, {@code sluice_proxy_answers}). */
        public String tag() {
            return tag;
        }

        /** The short body of the 503. */
        public String text() {
            return text;
        }

        /**
         * Whether the request had entered the endpoint's queue, so that it counts in
         * {@code sluice_upstream_queue_rejected_total} ({@link QueueRejections}).
         */
        public boolean queued() {
            return queued;
        }
    }

    private final transient Reason reason;

    public UpstreamLimitException(String authority, Reason reason) {
        super(reason.text() + " for " + authority, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
