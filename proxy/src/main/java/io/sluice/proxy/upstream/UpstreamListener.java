package io.sluice.proxy.upstream;

/** What the exchange using an upstream connection hears from it. Called on the connection's event loop. */
public interface UpstreamListener {

    /** A decoded response part (or, after a protocol switch, raw bytes); the listener owns and releases it. */
    void onResponse(Object message);

    /** The end of one read from the backend: flush what was forwarded, decide whether to read more. */
    void onReadComplete();

    /** The connection's writability changed (request body backpressure). */
    void onWritabilityChanged(boolean writable);

    /** The connection closed or failed; {@code cause} is null for a plain close. */
    void onClosed(Throwable cause);
}
