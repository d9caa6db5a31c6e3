package io.sluice.proxy.upstream;

import io.netty.channel.Channel;

/**
 * One keep-alive connection to an endpoint, leased to one exchange at a time. The exchange attaches itself as
 * the listener, writes the request, and finally {@link #release}s the connection: back to the pool only when
 * request and response were both read completely and the backend allows reuse; closed otherwise.
 */
public final class UpstreamConnection {
    /** {@link #idleDueNanos()} of a connection that is leased, or whose pool never closes idle connections. */
    static final long NEVER = Long.MIN_VALUE;

    private final Channel channel;
    private final UpstreamPool pool;
    /** 0: idle connections are kept until the backend closes them. */
    private final long idleTimeoutNanos;
    private long idleDueNanos = NEVER;
    private UpstreamListener listener;
    private boolean leased;
    private int leases;

    /** A connection that is never pooled (an HTTP/2 stream). */
    UpstreamConnection(Channel channel, UpstreamPool pool) {
        this(channel, pool, 0L);
    }

    UpstreamConnection(Channel channel, UpstreamPool pool, long idleTimeoutNanos) {
        this.channel = channel;
        this.pool = pool;
        this.idleTimeoutNanos = idleTimeoutNanos;
    }

    public Channel channel() {
        return channel;
    }

    public UpstreamEndpoint endpoint() {
        return pool.endpoint();
    }

    public void attach(UpstreamListener newListener) {
        this.listener = newListener;
    }

    UpstreamListener listener() {
        return listener;
    }

    void leased() {
        leased = true;
        leases++;
        idleDueNanos = NEVER;
    }

    /** Back in the pool at {@code nowNanos} (the loop's clock): from then on it may expire. */
    void pooledAt(long nowNanos) {
        if (idleTimeoutNanos > 0) {
            long due = nowNanos + idleTimeoutNanos;
            idleDueNanos = due == NEVER ? due + 1 : due;
        }
    }

    /** When this idle connection is to be closed, or {@link #NEVER}. */
    long idleDueNanos() {
        return idleDueNanos;
    }

    /** Whether this connection served an exchange before the current one (so the backend may have closed it). */
    public boolean reused() {
        return leases > 1;
    }

    boolean isLeased() {
        return leased;
    }

    /**
     * Ends the lease. {@code reusable} is true only when the exchange read the whole response, sent the whole
     * request and neither side asked to close.
     */
    public void release(boolean reusable) {
        if (!leased) {
            return;
        }
        leased = false;
        listener = null;
        pool.requestEnded();
        if (reusable) {
            pool.offer(this);
        } else {
            channel.close();
        }
    }

    /**
     * Ends the lease without pooling and hands the channel over to the caller (after a protocol switch the
     * connection is no longer HTTP and belongs to the relay).
     */
    public Channel detach() {
        if (leased) {
            leased = false;
            listener = null;
            pool.requestEnded();
        }
        return channel;
    }

    void closed() {
        pool.forget(this);
    }
}
