package io.sluice.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One backend address as the data path sees it across snapshots: its connection pools (one per event loop),
 * how many requests are outstanding on it (for least-outstanding balancing) and how many connections are open
 * (for the per-endpoint limit). Kept while successive snapshots still list the address; retired when one no
 * longer does, after which its connections are closed as soon as they are idle.
 */
public final class UpstreamEndpoint {
    private final String address;
    private final int port;
    private final int maxConnections;
    private final Map<EventExecutor, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final PassiveHealthPolicy passive;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    /** {@link System#nanoTime()} until which the endpoint is ejected; meaningful once {@link #everEjected}. */
    private volatile long ejectedUntil;
    private volatile boolean everEjected;
    private volatile boolean retired;

    public UpstreamEndpoint(String address, int port, int maxConnections) {
        this(address, port, maxConnections, PassiveHealthPolicy.off());
    }

    public UpstreamEndpoint(String address, int port, int maxConnections, PassiveHealthPolicy passive) {
        this.address = address;
        this.port = port;
        this.maxConnections = maxConnections;
        this.passive = passive;
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
        for (UpstreamPool pool : pools.values()) {
            pool.closeIdle();
        }
    }

    /** True while passive health keeps this endpoint out of rotation after consecutive failures. */
    public boolean ejected() {
        return everEjected && System.nanoTime() - ejectedUntil < 0;
    }

    /** A connection could not be opened or the backend answered 5xx. */
    void exchangeFailed() {
        if (passive.consecutiveFailures() > 0
                && consecutiveFailures.incrementAndGet() >= passive.consecutiveFailures()) {
            consecutiveFailures.set(0);
            ejectedUntil = System.nanoTime() + passive.ejection().toNanos();
            everEjected = true;
        }
    }

    /** The backend answered with a status below 500. */
    void exchangeSucceeded() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
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

    void connectionClosed() {
        openConnections.decrementAndGet();
    }

    @Override
    public String toString() {
        return authority();
    }
}
