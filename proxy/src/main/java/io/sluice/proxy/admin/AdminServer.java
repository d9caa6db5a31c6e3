package io.sluice.proxy.admin;

import io.sluice.proxy.lifecycle.Drainable;
import java.util.concurrent.CompletableFuture;

/**
 * What the health and push servers have in common: one {@link HttpListener} of their own, started, drained and
 * closed with the proxy. Each subclass only decides the listener's pipeline.
 */
public abstract class AdminServer implements Drainable, AutoCloseable {
    private final HttpListener listener;

    protected AdminServer(HttpListener listener) {
        this.listener = listener;
    }

    public final void start() throws InterruptedException {
        listener.start();
    }

    public final int port() {
        return listener.port();
    }

    @Override
    public final void stopAccepting() {
        listener.stopAccepting();
    }

    @Override
    public final CompletableFuture<Void> drain() {
        return listener.drain();
    }

    @Override
    public final void close() {
        listener.close();
    }
}
