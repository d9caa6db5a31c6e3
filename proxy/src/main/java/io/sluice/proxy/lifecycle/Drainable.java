package io.sluice.proxy.lifecycle;

import java.util.concurrent.CompletableFuture;

/**
 * A listener the {@link ShutdownSequence} can wind down in two steps: first stop taking new connections, then
 * let the requests in flight finish.
 */
public interface Drainable extends AutoCloseable {

    /** Closes the listening socket; connections already open keep working. */
    void stopAccepting();

    /**
     * Closes idle connections now and every other one once its request in flight is answered.
     *
     * @return completes when no connection is left open
     */
    CompletableFuture<Void> drain();

    /** Releases the listener's sockets and threads; called after the drain, off its event loops. */
    @Override
    void close();
}
