package io.sluice.proxy.upstream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Closes a pool's keep-alive connections that sat idle longer than their idle timeout. A connection's timeout
 * only matters while it waits in the pool, so the clock starts when the pool takes it back: one timestamp per
 * request, and one check task per pool that runs when the oldest idle connection is due. It replaces Netty's
 * {@code IdleStateHandler} on each upstream connection, which read the clock on every read and added a listener
 * to every write's promise, on every request, to time the leases too (where its event was ignored).
 *
 * <p>Not thread-safe: every method runs on the pool's event loop.
 */
final class PooledIdleExpiry {
    private final EventLoop loop;
    private final ArrayDeque<UpstreamConnection> idle;
    private final Consumer<UpstreamConnection> expire;
    private ScheduledFuture<?> pending;
    /** When the pending check runs (the loop ticker's time). */
    private long pendingNanos;

    /**
     * @param idle   the pool's idle connections, each with {@link UpstreamConnection#idleDueNanos()} set (read only)
     * @param expire takes an expired connection out of the pool and closes it
     */
    PooledIdleExpiry(EventLoop loop, ArrayDeque<UpstreamConnection> idle, Consumer<UpstreamConnection> expire) {
        this.loop = loop;
        this.idle = idle;
        this.expire = expire;
    }

    /** The loop's clock, for {@link UpstreamConnection#pooledAt}. */
    long now() {
        return loop.ticker().nanoTime();
    }

    /** {@code connection} just went back to the pool: make sure a check runs when it is due. */
    void pooled(UpstreamConnection connection) {
        long due = connection.idleDueNanos();
        if (due == UpstreamConnection.NEVER) {
            return;
        }
        if (pending != null && pendingNanos - due <= 0) {
            return; // an earlier (or equal) check is already scheduled; it will reschedule for this one
        }
        if (pending != null) {
            pending.cancel(false);
        }
        schedule(due);
    }

    private void schedule(long due) {
        pendingNanos = due;
        pending = loop.schedule(this::check, Math.max(0L, due - now()), TimeUnit.NANOSECONDS);
    }

    private void check() {
        pending = null;
        long now = now();
        List<UpstreamConnection> expired = new ArrayList<>();
        long next = UpstreamConnection.NEVER;
        for (UpstreamConnection connection : idle) {
            long due = connection.idleDueNanos();
            if (due == UpstreamConnection.NEVER) {
                continue;
            }
            if (due - now <= 0) {
                expired.add(connection);
            } else if (next == UpstreamConnection.NEVER || due - next < 0) {
                next = due;
            }
        }
        expired.forEach(expire);
        if (next != UpstreamConnection.NEVER) {
            schedule(next);
        }
    }

    /** The pool is closing: drop the pending check. */
    void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
