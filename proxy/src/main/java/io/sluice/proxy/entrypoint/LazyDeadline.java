package io.sluice.proxy.entrypoint;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deadline that is armed and disarmed once per request without touching the event loop's timer queue each
 * time. Scheduling and cancelling a Netty task costs a priority-queue insert and removal plus a task object;
 * for a keep-alive connection serving thousands of requests a second those were a visible part of each
 * request. Here {@link #arm} only records when the deadline falls, and {@link #disarm} forgets it; one check
 * task stays scheduled and, when it runs before the recorded time (the deadline was re-armed meanwhile),
 * schedules itself again for the rest. The action runs at most once per arming, on the executor, when the
 * last recorded deadline is reached (the event loop's timer precision, as before).
 *
 * <p>Not thread-safe: every method runs on {@code executor}.
 */
final class LazyDeadline {
    private static final long DISARMED = 0L;

    private final EventExecutor executor;
    private final Runnable action;
    private final Runnable check = this::check;
    /** The executor ticker's time at which the action is due, or {@link #DISARMED}. */
    private long dueNanos = DISARMED;
    private ScheduledFuture<?> pending;
    /** When the pending check runs. */
    private long pendingNanos;

    LazyDeadline(EventExecutor executor, Runnable action) {
        this.executor = executor;
        this.action = action;
    }

    /** Runs the action {@code timeoutMillis} from now unless disarmed or re-armed before. */
    void arm(long timeoutMillis) {
        long due = executor.ticker().nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        dueNanos = due == DISARMED ? 1L : due;
        if (pending != null && pendingNanos - due > 0) {
            // the pending check comes after the new deadline (a shorter timeout than before): bring it forward
            pending.cancel(false);
            pending = null;
        }
        if (pending == null) {
            schedule(due);
        }
    }

    private void schedule(long due) {
        pendingNanos = due;
        long delay = Math.max(0L, due - executor.ticker().nanoTime());
        pending = executor.schedule(check, delay, TimeUnit.NANOSECONDS);
    }

    /** Forgets the deadline; the pending check, if any, finds nothing to do. */
    void disarm() {
        dueNanos = DISARMED;
    }

    boolean armed() {
        return dueNanos != DISARMED;
    }

    /** Disarms and removes the pending check (the connection is gone). */
    void close() {
        dueNanos = DISARMED;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void check() {
        pending = null;
        if (dueNanos == DISARMED) {
            return;
        }
        if (dueNanos - executor.ticker().nanoTime() > 0) {
            schedule(dueNanos);
            return;
        }
        dueNanos = DISARMED;
        action.run();
    }
}
