package io.sluice.proxy.upstream;

/** The endpoint already has as many connections open as the per-endpoint limit allows. */
public final class UpstreamLimitException extends Exception {
    private static final long serialVersionUID = 1L;

    public UpstreamLimitException(String authority) {
        super("connection limit reached for " + authority, null, false, false);
    }
}
