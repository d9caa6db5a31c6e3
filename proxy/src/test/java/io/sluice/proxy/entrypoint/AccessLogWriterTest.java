package io.sluice.proxy.entrypoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AccessLogWriterTest {

    @Test
    void linesAreWrittenInOrderOffTheCallingThread() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        AccessLogWriter writer = new AccessLogWriter(line -> {
            lines.add(line);
            threads.add(Thread.currentThread().getName());
        }, new SimpleMeterRegistry(), 16);

        writer.log("web", "r1", "svc", "GET", 200, 1_500_000);
        writer.log("web", "r2", "svc", "POST", 503, 2_000_000);

        waitFor(() -> lines.size() == 2);
        assertEquals(List.of(
                "{\"entrypoint\":\"web\",\"router\":\"r1\",\"service\":\"svc\",\"method\":\"GET\",\"status\":200,"
                        + "\"durationMs\":1.5}",
                "{\"entrypoint\":\"web\",\"router\":\"r2\",\"service\":\"svc\",\"method\":\"POST\",\"status\":503,"
                        + "\"durationMs\":2.0}"), lines);
        assertTrue(threads.stream().noneMatch(Thread.currentThread().getName()::equals), threads::toString);
    }

    @Test
    void aStuckLogDropsAndCountsLinesInsteadOfBlockingTheCaller() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> lines = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AccessLogWriter writer = new AccessLogWriter(line -> {
            try {
                release.await(); // standard error's reader stopped reading
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lines.add(line);
        }, registry, 4);

        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            writer.log("web", "r" + i, "svc", "GET", 200, 1_000_000);
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        release.countDown();

        assertTrue(elapsedMillis < 1_000, "logging blocked for " + elapsedMillis + " ms");
        double dropped = registry.get("sluice.access.log.dropped").counter().count();
        // the stuck writer holds the batch it took (at most the four queued then) and up to four more wait in
        // the queue; everything else is dropped
        assertTrue(dropped >= 92 && dropped <= 96, "dropped " + dropped);
        waitFor(() -> lines.size() == 100 - (int) dropped);
        assertTrue(lines.get(0).contains("\"router\":\"r0\""), lines.get(0));
    }

    @Test
    void theWriterStopsWhenIdleAndStartsAgainForTheNextLine() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        AccessLogWriter writer = new AccessLogWriter(lines::add, new SimpleMeterRegistry(), 16);
        writer.log("web", "first", "svc", "GET", 200, 0);
        waitFor(() -> lines.size() == 1);
        waitFor(() -> !writerThreadAlive(), AccessLogWriter.IDLE_EXIT_MILLIS + 5_000);

        writer.log("web", "second", "svc", "GET", 200, 0);

        waitFor(() -> lines.size() == 2);
        assertTrue(lines.get(1).contains("\"router\":\"second\""), lines.get(1));
    }

    private static boolean writerThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("sluice-access-log") && t.isAlive());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        waitFor(condition, 5_000);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, long millis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in " + millis + " ms");
            Thread.sleep(10);
        }
    }
}
