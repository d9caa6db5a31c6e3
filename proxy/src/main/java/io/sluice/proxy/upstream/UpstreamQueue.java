package io.sluice.proxy.upstream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.proxy.upstream.UpstreamLimitException.Reason;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The requests waiting for a connection to one HTTP/1.1 endpoint that is at its connection limit, across every
 * event loop: bounded (a full queue answers 503 at once) and with a timeout (503 when it passes). Without it a
 * request over the limit would be refused although a connection frees up a moment later.
 *
 * <p>Connections belong to the event loop that opened them, the limit counts all loops. A waiter therefore never
 * takes a connection of another loop; it is served on its own loop in one of three ways:
 * <ul>
 *   <li><b>a slot frees</b> (any connection of the endpoint closes): the oldest waiter gets the slot reserved
 *       under this queue's lock and opens a new connection on its own loop;</li>
 *   <li><b>a connection becomes idle</b> on a loop: it goes to the oldest waiter of that same loop, without a new
 *       connection; when only waiters of other loops are left, the idle connection is closed instead, which
 *       frees a slot for the oldest waiter (a new TCP connection is cheaper than a request waiting for an
 *       unrelated exchange to end);</li>
 *   <li><b>a waiter arrives while another loop holds idle connections</b> (counted in the limit, but useless
 *       here): that loop is asked to close one, freeing a slot as above.</li>
 * </ul>
 * So waiters are served in arrival order for new slots, while a connection that becomes idle prefers a waiter
 * of its own loop. New requests do not overtake waiters: while the queue is not empty, a request that finds no
 * idle connection on its loop queues behind them instead of opening a connection.
 *
 * <p>Nothing here blocks: the lock only guards the deque for a few steps, promises are completed outside it,
 * and each waiter's timeout and connection run on its own loop. A waiter leaves when its promise is cancelled
 * (the client went away), when it times out, and when the endpoint is retired from the snapshot (503
 * {@code upstream-removed}; the request is not re-balanced, since the snapshot it was routed with still lists
 * the endpoint; a retry middleware picks again). HTTP/2 (h2c) endpoints never queue: their streams are
 * multiplexed on few connections.
 */
final class UpstreamQueue {
    private final UpstreamEndpoint endpoint;
    private final int capacity;
    private final long timeoutNanos;
    private final QueueRejections rejections;
    /** Waiters in arrival order; guarded by {@code this}. */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private volatile int size;

    /** @param capacity most waiters at once; 0 turns queueing off (503 as soon as the limit is reached) */
    UpstreamQueue(UpstreamEndpoint endpoint, int capacity, Duration timeout, QueueRejections rejections) {
        if (capacity < 0 || timeout.isNegative() || timeout.isZero() && capacity > 0) {
            throw new IllegalArgumentException("queue capacity >= 0 and a positive timeout");
        }
        this.endpoint = endpoint;
        this.capacity = capacity;
        this.timeoutNanos = timeout.toNanos();
        this.rejections = rejections;
    }

    /** How many requests wait; a volatile read, cheap enough for every acquire. */
    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * Queues a request of {@code pool}'s loop for a connection; served at once when a slot is free and nobody
     * waits before it. Fails with {@link UpstreamLimitException} ({@link Reason#LIMIT}) when queueing is off
     * and ({@link Reason#FULL}) when the queue is full. Call on the pool's loop.
     */
    Future<UpstreamConnection> enqueue(UpstreamPool pool, UpstreamSettings settings,
            Promise<UpstreamConnection> promise) {
        if (capacity == 0) {
            if (endpoint.tryReserveConnection()) {
                pool.openFor(settings, false, promise); // the race lost in acquire, won here: HTTP/1.1 to be safe
                return promise;
            }
            return promise.setFailure(new UpstreamLimitException(endpoint.authority(), Reason.LIMIT));
        }
        Waiter waiter = new Waiter(pool, settings, promise);
        List<Waiter> served;
        synchronized (this) {
            if (waiters.size() >= capacity) {
                served = null;
            } else {
                waiters.addLast(waiter);
                size = waiters.size();
                served = takeServable();
            }
        }
        if (served == null) {
            return promise.setFailure(rejected(Reason.FULL));
        }
        if (!served.contains(waiter)) {
            waiter.timeout = pool.loop().schedule(() -> timedOut(waiter), timeoutNanos, TimeUnit.NANOSECONDS);
            promise.addListener(f -> {
                if (f.isCancelled()) {
                    leave(waiter);
                }
            });
            endpoint.closeAnIdleConnection();
        }
        serve(served);
        return promise;
    }

    /** A connection of the endpoint closed: its slot goes to the oldest waiter. Any thread. */
    void slotFreed() {
        List<Waiter> served;
        synchronized (this) {
            served = takeServable();
        }
        serve(served);
    }

    /**
     * The oldest waiter of {@code pool}'s loop, taken out of the queue to be given an idle connection of that
     * pool; null when no waiter runs on that loop. Call on the pool's loop.
     */
    Waiter takeFrom(UpstreamPool pool) {
        synchronized (this) {
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter waiter = it.next();
                if (waiter.pool == pool) {
                    it.remove();
                    size = waiters.size();
                    return waiter;
                }
            }
        }
        return null;
    }

    /** The endpoint left the snapshot: every waiter is answered 503 {@code upstream-removed}. Any thread. */
    void failAll() {
        List<Waiter> removed;
        synchronized (this) {
            removed = new ArrayList<>(waiters);
            waiters.clear();
            size = 0;
        }
        for (Waiter waiter : removed) {
            UpstreamLimitException failure = rejected(Reason.REMOVED);
            runOn(waiter.pool.loop(), () -> {
                waiter.stopTimer();
                waiter.promise.tryFailure(failure);
            });
        }
    }

    /** Reserves a slot for each waiter, oldest first, while the limit allows; called under the lock. */
    private List<Waiter> takeServable() {
        List<Waiter> served = List.of();
        while (!waiters.isEmpty() && endpoint.tryReserveConnection()) {
            if (served.isEmpty()) {
                served = new ArrayList<>(2);
            }
            served.add(waiters.pollFirst());
        }
        size = waiters.size();
        return served;
    }

    /** Opens the connection of each served waiter, holding its reserved slot, on the waiter's own loop. */
    private static void serve(List<Waiter> served) {
        for (Waiter waiter : served) {
            if (waiter.pool.loop().inEventLoop()) {
                waiter.pool.openReserved(waiter);
            } else {
                runOn(waiter.pool.loop(), () -> waiter.pool.openReserved(waiter));
            }
        }
    }

    /**
     * Runs {@code task} on {@code loop}; nothing when the loop is shutting down (the proxy is stopping, and the
     * client connections that waited there are gone with it).
     */
    static void runOn(EventLoop loop, Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException stopping) {
            // the loop is shutting down
        }
    }

    private void timedOut(Waiter waiter) {
        if (remove(waiter)) {
            waiter.promise.tryFailure(rejected(Reason.TIMEOUT));
        }
    }

    /** Counts a queued request turned away for {@code reason} and makes the failure it is answered with. */
    private UpstreamLimitException rejected(Reason reason) {
        rejections.rejected(reason);
        return new UpstreamLimitException(endpoint.authority(), reason);
    }

    /** The request gave up (its client left): its place is free. A slot it already holds is freed on serving. */
    private void leave(Waiter waiter) {
        waiter.stopTimer();
        remove(waiter);
    }

    private synchronized boolean remove(Waiter waiter) {
        boolean removed = waiters.remove(waiter);
        size = waiters.size();
        return removed;
    }

    /** One queued request: the pool (and so the loop) it needs a connection on, and how it is answered. */
    static final class Waiter {
        final UpstreamPool pool;
        final UpstreamSettings settings;
        final Promise<UpstreamConnection> promise;
        /** Set and read on the pool's loop only. */
        private ScheduledFuture<?> timeout;

        Waiter(UpstreamPool pool, UpstreamSettings settings, Promise<UpstreamConnection> promise) {
            this.pool = pool;
            this.settings = settings;
            this.promise = promise;
        }

        /** Called on the pool's loop once the waiter is served or gone. */
        void stopTimer() {
            if (timeout != null) {
                timeout.cancel(false);
                timeout = null;
            }
        }
    }
}
