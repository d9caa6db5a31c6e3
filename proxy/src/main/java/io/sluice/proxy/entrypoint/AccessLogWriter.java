package io.sluice.proxy.entrypoint;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Writes the access log off the event loops. The logging backend (slf4j-simple) formats and prints each line
 * synchronously to standard error, so logging on the event loop made every request wait for a write to a pipe
 * or terminal, and stall entirely when the reader of that pipe fell behind. Event loops only put the line's
 * fields into a bounded queue; one writer thread formats and logs them. When the queue is full the entry is
 * dropped and counted in {@code sluice_access_log_dropped_total}: a slow log reader never slows the traffic.
 *
 * <p>The writer thread starts with the first entry and ends after {@link #IDLE_EXIT_MILLIS} without one, so a
 * server that logs nothing owns no thread and nothing needs closing.
 */
final class AccessLogWriter {
    /** Entries waiting to be written; beyond this many they are dropped. */
    static final int DEFAULT_CAPACITY = 16_384;
    static final long IDLE_EXIT_MILLIS = 5_000;
    /** How long the writer sleeps when it finds nothing to write. */
    static final long POLL_MILLIS = 2;
    private static final int BATCH = 256;

    private final Consumer<String> sink;
    private final BlockingQueue<Entry> queue;
    private final Counter dropped;
    private final AtomicBoolean writing = new AtomicBoolean();

    /** @param sink where finished lines go, {@code logger::info} outside tests; called on the writer thread only */
    AccessLogWriter(Consumer<String> sink, MeterRegistry registry, int capacity) {
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.dropped = Counter.builder("sluice.access.log.dropped")
                .description("Access log lines dropped because the writer could not keep up")
                .register(registry);
    }

    /** Queues one line without blocking; drops and counts it when the queue is full. */
    void log(String entrypoint, String router, String service, String method, int status, long nanos) {
        if (!queue.offer(new Entry(entrypoint, router, service, method, status, nanos))) {
            dropped.increment();
            return;
        }
        if (!writing.get() && writing.compareAndSet(false, true)) {
            startWriter();
        }
    }

    private void startWriter() {
        Thread writer = new Thread(this::drain, "sluice-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Drains in batches and, when the queue is empty, sleeps {@link #POLL_MILLIS} instead of waiting on the
     * queue: an event loop's {@code offer} then never has a waiting thread to wake (a futex call per line).
     */
    private void drain() {
        List<Entry> batch = new ArrayList<>(BATCH);
        long idleSince = System.nanoTime();
        while (true) {
            if (queue.drainTo(batch, BATCH) > 0) {
                for (Entry entry : batch) {
                    write(entry);
                }
                batch.clear();
                idleSince = System.nanoTime();
                continue;
            }
            if (System.nanoTime() - idleSince < TimeUnit.MILLISECONDS.toNanos(IDLE_EXIT_MILLIS)) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
                continue;
            }
            writing.set(false);
            // an entry queued after the last drain but before the flag was cleared found a writer still
            // running: take over again unless that entry started a new writer
            if (queue.isEmpty() || !writing.compareAndSet(false, true)) {
                return;
            }
            idleSince = System.nanoTime();
        }
    }

    private void write(Entry e) {
        try {
            sink.accept(line(e));
        } catch (RuntimeException failed) {
            dropped.increment(); // a failing backend must not end the writer with the flag still set
        }
    }

    /** The JSON line, as the event loops used to log it. */
    static String line(String entrypoint, String router, String service, String method, int status, long nanos) {
        return line(new Entry(entrypoint, router, service, method, status, nanos));
    }

    private static String line(Entry e) {
        return new StringBuilder(160).append("{\"entrypoint\":\"").append(e.entrypoint)
                .append("\",\"router\":\"").append(e.router)
                .append("\",\"service\":\"").append(e.service)
                .append("\",\"method\":\"").append(e.method)
                .append("\",\"status\":").append(e.status)
                .append(",\"durationMs\":").append(e.nanos / 1_000_000.0).append('}').toString();
    }

    /** One access log line's fields, formatted by the writer thread. */
    private record Entry(String entrypoint, String router, String service, String method, int status,
            long nanos) {
    }
}
