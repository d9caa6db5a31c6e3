package io.sluice.proxy.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that send requests in a loop while a test changes the proxy under them ("swaps under load fail no
 * request"): each request is a call that returns the status the client got; anything but 200, or an exception,
 * counts as a failure.
 */
public final class RequestLoad {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final ExecutorService clients;

    private RequestLoad(int clients, Callable<Integer> request) {
        this.clients = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            this.clients.submit(() -> {
                while (running.get()) {
                    try {
                        if (request.call() != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    done.incrementAndGet();
                }
                return null;
            });
        }
    }

    /** Starts {@code clients} threads, each sending {@code request} again and again. */
    public static RequestLoad start(int clients, Callable<Integer> request) {
        return new RequestLoad(clients, request);
    }

    /** Stops the clients after their current request; whether they all finished within {@code patience}. */
    public boolean stop(Duration patience) throws InterruptedException {
        running.set(false);
        clients.shutdown();
        return clients.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int done() {
        return done.get();
    }

    public int failures() {
        return failures.get();
    }
}
