package io.sluice.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.sluice.snapshot.PassiveHealthCheck;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One backend address as the data path sees it across snapshots: its connection pools (one per event loop),
 * how many requests are outstanding on it (for least-outstanding balancing) and how many connections are open
 * (for the per-endpoint limit), and the {@link UpstreamQueue queue} of requests waiting for a connection while the
 * limit is reached. Kept while successive snapshots still list the address; retired when one no longer does,
 * after which its connections are closed as soon as they are idle and its waiting requests get 503.
 */
public final class UpstreamEndpoint {
    private final String address;
    private final int port;
    private final int maxConnections;
    private final Map<EventExecutor, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    /** When the latest failed exchanges in a row happened ({@link System#nanoTime()}), newest last. */
    private final long[] failures = new long[PassiveHealthCheck.MAX_FAILED_ATTEMPTS];
    private int failureCount;
    private volatile boolean retired;
    /** HTTP/2 with prior knowledge (h2c) instead of HTTP/1.1. */
    private final boolean http2;
    /** TLS to the backend ({@code https}); null for cleartext. */
    private final UpstreamTlsPolicy tls;
    private final UpstreamQueue queue;
    /**
     * For {@code https} offering {@code h2}: whether the latest handshake that offered it selected it; null before
     * the first. Shared by the pools of all event loops, so one handshake teaches them all.
     */
    private volatile Boolean selectedHttp2;

    public UpstreamEndpoint(String address, int port, int maxConnections) {
        this(address, port, maxConnections, false);
    }

    /** @param http2 speak HTTP/2 with prior knowledge (scheme {@code h2c}), streams multiplexed on few connections */
    public UpstreamEndpoint(String address, int port, int maxConnections, boolean http2) {
        this(address, port, maxConnections, http2, null);
    }

    /**
     * @param tls speak TLS with this policy ({@code https}): HTTP/2 when the backend selects {@code h2} in ALPN,
     *            else HTTP/1.1; null for cleartext
     */
    public UpstreamEndpoint(String address, int port, int maxConnections, boolean http2, UpstreamTlsPolicy tls) {
        this(address, port, maxConnections, http2, tls, 0, Duration.ofSeconds(1), new QueueRejections());
    }

    /**
     * @param queueCapacity requests that may wait for a connection while the limit is reached; 0 for none (503
     *                      at once)
     * @param queueTimeout  how long one may wait before it gets 503
     * @param rejections    where requests leaving the queue without a connection are counted
     */
    public UpstreamEndpoint(String address, int port, int maxConnections, boolean http2, UpstreamTlsPolicy tls,
            int queueCapacity, Duration queueTimeout, QueueRejections rejections) {
        if (http2 && tls != null) {
            throw new IllegalArgumentException("h2c and TLS exclude each other");
        }
        this.address = address;
        this.port = port;
        this.maxConnections = maxConnections;
        this.http2 = http2;
        this.tls = tls;
        this.queue = new UpstreamQueue(this, queueCapacity, queueTimeout, rejections);
    }

    /** The TLS policy of an {@code https} endpoint; null for cleartext. */
    public UpstreamTlsPolicy tls() {
        return tls;
    }

    /** Whether this is an {@code h2c} endpoint (HTTP/2 with prior knowledge). */
    public boolean http2() {
        return http2;
    }

    /**
     * Whether exchanges go to multiplexed HTTP/2 connections: always for h2c; for https offering {@code h2}, until
     * a handshake shows that the backend selects {@code http/1.1} (so the first exchanges wait for one handshake
     * instead of each opening a connection).
     */
    boolean multiplexes() {
        return http2 || (tls != null && tls.offersHttp2() && !Boolean.FALSE.equals(selectedHttp2));
    }

    /** Remembers what a handshake that offered {@code h2} selected. */
    void selected(boolean h2) {
        selectedHttp2 = h2;
    }

    /**
     * What tells endpoints apart across snapshots: the authority, prefixed with {@code h2c://} for HTTP/2 and
     * with {@code https://} and the TLS settings' fingerprint for TLS.
     */
    public String poolKey() {
        if (tls != null) {
            return "https://" + authority() + "#" + tls.fingerprint();
        }
        return http2 ? "h2c://" + authority() : authority();
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** {@code address:port}, with brackets around IPv6 literals: the key of this endpoint and its Host. */
    public String authority() {
        return key(address, port);
    }

    public static String key(String address, int port) {
        return address.indexOf(':') >= 0 ? "[" + address + "]:" + port : address + ":" + port;
    }

    /** The pool of connections to this endpoint owned by {@code loop}; created on first use. */
    public UpstreamPool pool(EventLoop loop, Class<? extends Channel> channelType) {
        return pools.computeIfAbsent(loop, l -> new UpstreamPool(this, loop, channelType));
    }

    public int outstanding() {
        return outstanding.get();
    }

    /**
     * The load the least-outstanding balancer compares: requests sent and not yet answered plus those queued
     * for a connection.
     */
    public int load() {
        return outstanding.get() + queue.size();
    }

    /** Requests waiting for a connection because the endpoint is at its connection limit. */
    public int queued() {
        return queue.size();
    }

    UpstreamQueue queue() {
        return queue;
    }

    public int openConnections() {
        return openConnections.get();
    }

    public int idleConnections() {
        int idle = 0;
        for (UpstreamPool pool : pools.values()) {
            idle += pool.idleCount();
        }
        return idle;
    }

    public boolean retired() {
        return retired;
    }

    /** Stops pooling: idle connections are closed now, busy ones when their exchange ends. */
    public void retire() {
        retired = true;
        queue.failAll();
        for (UpstreamPool pool : pools.values()) {
            pool.closeIdle();
        }
    }

    /**
     * A request queued although a loop holds idle connections of this endpoint (counted in the limit, but usable
     * on their own loop only): that loop closes one, or hands it to a waiter of its own, freeing a slot.
     */
    void closeAnIdleConnection() {
        for (UpstreamPool pool : pools.values()) {
            if (pool.idleCount() > 0) {
                UpstreamQueue.runOn(pool.loop(), pool::serveWaiters);
                return;
            }
        }
    }

    /**
     * Passive health as one service's policy sees it: true when the last {@code maxFailedAttempts} exchanges
     * all failed, each less than {@code windowNanos} ago. The endpoint only records what happened; every service
     * listing it applies its own thresholds.
     */
    public synchronized boolean failing(int maxFailedAttempts, long windowNanos) {
        if (maxFailedAttempts < 1 || failureCount < maxFailedAttempts) {
            return false;
        }
        long oldest = failures[failures.length - maxFailedAttempts];
        return System.nanoTime() - oldest < windowNanos;
    }

    /** A connection could not be opened or the backend answered 5xx. */
    synchronized void exchangeFailed() {
        System.arraycopy(failures, 1, failures, 0, failures.length - 1);
        failures[failures.length - 1] = System.nanoTime();
        failureCount = Math.min(failures.length, failureCount + 1);
    }

    /** The backend answered with a final status below 500: the run of failures is over. */
    void exchangeSucceeded() {
        if (failureCount != 0) {
            synchronized (this) {
                failureCount = 0;
            }
        }
    }

    void requestStarted() {
        outstanding.incrementAndGet();
    }

    void requestEnded() {
        outstanding.decrementAndGet();
    }

    boolean tryReserveConnection() {
        while (true) {
            int now = openConnections.get();
            if (now >= maxConnections) {
                return false;
            }
            if (openConnections.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** A connection closed (or a reserved slot went unused): the slot goes to the oldest waiter, if any. */
    void connectionClosed() {
        openConnections.decrementAndGet();
        if (!queue.isEmpty()) {
            queue.slotFreed();
        }
    }

    @Override
    public String toString() {
        return authority();
    }
}
