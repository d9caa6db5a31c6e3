package io.sluice.proxy.middleware;

import io.sluice.snapshot.CircuitBreakerExpression;
import java.util.concurrent.TimeUnit;

/**
 * The last {@code slots × slotNanos} of exchanges, for a circuit breaker: per time slot, the count of each status
 * code, the network errors and a latency histogram. Old slots are cleared as time moves on, so recording and
 * reading cost the same however busy the route is. Latencies fall into bins 10% wide from 0.1 ms up, so a
 * quantile is exact to within 10%. Thread-safe: every method holds the window's lock briefly.
 */
final class ExchangeWindow {
    private static final int CODES = 600; // 100-599; anything above counts as 599
    private static final int LATENCY_BINS = 200;
    private static final double FIRST_BIN_MILLIS = 0.1;
    private static final double BIN_FACTOR = 1.1;

    private final long slotNanos;
    private final int[][] codes;
    private final int[][] latency;
    private final int[] networkErrors;
    private final int[] totals;
    private final long[] slotStart;

    ExchangeWindow(int slots, long slotNanos) {
        this.slotNanos = slotNanos;
        this.codes = new int[slots][CODES];
        this.latency = new int[slots][LATENCY_BINS];
        this.networkErrors = new int[slots];
        this.totals = new int[slots];
        this.slotStart = new long[slots];
        java.util.Arrays.fill(slotStart, Long.MIN_VALUE);
    }

    /** Ten one-second slots, as Traefik's rolling metrics. */
    static ExchangeWindow tenSeconds() {
        return new ExchangeWindow(10, TimeUnit.SECONDS.toNanos(1));
    }

    synchronized void record(long now, int status, boolean networkError, long durationNanos) {
        int slot = slot(now);
        totals[slot]++;
        codes[slot][Math.max(0, Math.min(CODES - 1, status))]++;
        if (networkError) {
            networkErrors[slot]++;
        }
        latency[slot][bin(durationNanos / 1e6)]++;
    }

    /** Forgets everything recorded. */
    synchronized void reset() {
        java.util.Arrays.fill(slotStart, Long.MIN_VALUE);
    }

    /** A consistent view of the window at {@code now}, to evaluate an expression against. */
    synchronized Snapshot snapshot(long now) {
        int[] codeSum = new int[CODES];
        int[] latencySum = new int[LATENCY_BINS];
        long total = 0;
        long errors = 0;
        for (int s = 0; s < totals.length; s++) {
            if (!live(s, now)) {
                continue;
            }
            total += totals[s];
            errors += networkErrors[s];
            for (int c = 0; c < CODES; c++) {
                codeSum[c] += codes[s][c];
            }
            for (int b = 0; b < LATENCY_BINS; b++) {
                latencySum[b] += latency[s][b];
            }
        }
        return new Snapshot(total, errors, codeSum, latencySum);
    }

    private boolean live(int slot, long now) {
        long start = slotStart[slot];
        return start != Long.MIN_VALUE && now - start < slotNanos * totals.length;
    }

    private int slot(long now) {
        long index = Math.floorDiv(now, slotNanos);
        int slot = (int) Math.floorMod(index, (long) totals.length);
        long start = index * slotNanos;
        if (slotStart[slot] != start) {
            slotStart[slot] = start;
            totals[slot] = 0;
            networkErrors[slot] = 0;
            java.util.Arrays.fill(codes[slot], 0);
            java.util.Arrays.fill(latency[slot], 0);
        }
        return slot;
    }

    private static int bin(double millis) {
        if (millis <= FIRST_BIN_MILLIS) {
            return 0;
        }
        int bin = 1 + (int) (Math.log(millis / FIRST_BIN_MILLIS) / Math.log(BIN_FACTOR));
        return Math.min(LATENCY_BINS - 1, bin);
    }

    private static double binUpperMillis(int bin) {
        return FIRST_BIN_MILLIS * Math.pow(BIN_FACTOR, bin);
    }

    /** Sums over the live slots; what {@link CircuitBreakerExpression} reads. */
    static final class Snapshot implements CircuitBreakerExpression.Stats {
        private final long total;
        private final long networkErrors;
        private final int[] codes;
        private final int[] latency;

        Snapshot(long total, long networkErrors, int[] codes, int[] latency) {
            this.total = total;
            this.networkErrors = networkErrors;
            this.codes = codes;
            this.latency = latency;
        }

        long total() {
            return total;
        }

        @Override
        public double networkErrorRatio() {
            return total == 0 ? 0 : (double) networkErrors / total;
        }

        @Override
        public double responseCodeRatio(int from, int to, int dividedFrom, int dividedTo) {
            long divided = count(dividedFrom, dividedTo);
            return divided == 0 ? 0 : (double) count(from, to) / divided;
        }

        private long count(int from, int to) {
            long sum = 0;
            for (int c = Math.max(0, from); c < Math.min(CODES, to); c++) {
                sum += codes[c];
            }
            return sum;
        }

        @Override
        public double latencyAtQuantileMillis(double quantile) {
            if (total == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(quantile / 100.0 * total);
            long seen = 0;
            for (int b = 0; b < LATENCY_BINS; b++) {
                seen += latency[b];
                if (seen >= rank) {
                    return binUpperMillis(b);
                }
            }
            return binUpperMillis(LATENCY_BINS - 1);
        }
    }
}
