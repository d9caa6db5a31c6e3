package io.sluice.proxy.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the proxy without dropping requests, in the order Kubernetes needs: fail readiness at once; keep
 * accepting for {@code drainDelay} while endpoints and load balancers catch up; stop accepting; give requests
 * in flight up to {@code drainTimeout}; then close what is left. Runs once, from the JVM shutdown hook (SIGTERM).
 */
public final class ShutdownSequence {
    private static final Logger log = LoggerFactory.getLogger(ShutdownSequence.class);

    private final Runnable failReadiness;
    private final Duration drainDelay;
    private final List<Drainable> listeners;
    private final Duration drainTimeout;
    private final List<AutoCloseable> closeLast;
    private final AtomicBoolean started = new AtomicBoolean();

    /**
     * @param failReadiness makes {@code /ready} fail
     * @param listeners     stop accepting and drain together, after the delay
     * @param closeLast     closed in order at the end (health listener, applier, event loops)
     */
    public ShutdownSequence(Runnable failReadiness, Duration drainDelay, List<Drainable> listeners,
            Duration drainTimeout, List<AutoCloseable> closeLast) {
        this.failReadiness = Objects.requireNonNull(failReadiness, "failReadiness");
        this.drainDelay = Objects.requireNonNull(drainDelay, "drainDelay");
        this.listeners = List.copyOf(listeners);
        this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
        this.closeLast = List.copyOf(closeLast);
    }

    /** Runs the sequence on a JVM shutdown hook thread, so SIGTERM triggers it. */
    public void installShutdownHook() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::run, "sluice-shutdown"));
    }

    /**
     * Runs the sequence; blocks until done. Later calls do nothing.
     *
     * @return true if every connection finished within the drain timeout
     */
    public boolean run() {
        if (!started.compareAndSet(false, true)) {
            return true;
        }
        log.info("shutting down: readiness fails now, new connections accepted for {} ms more", drainDelay.toMillis());
        failReadiness.run();
        sleep(drainDelay);
        listeners.forEach(Drainable::stopAccepting);
        boolean drained = drain();
        for (AutoCloseable closeable : closeLast) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", closeable, e.toString());
            }
        }
        log.info("shutdown complete");
        return drained;
    }

    private boolean drain() {
        CompletableFuture<?>[] drains = listeners.stream().map(Drainable::drain).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(drains).get(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("all connections drained");
            return true;
        } catch (TimeoutException e) {
            log.warn("drain timeout of {} ms reached; closing the remaining connections", drainTimeout.toMillis());
            return false;
        } catch (ExecutionException e) {
            log.warn("draining failed: {}", e.getCause().toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
