package io.sluice.proxy.upstream;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many queued requests left an endpoint's queue without a connection, by reason (the
 * {@link UpstreamLimitException.Reason#queued() queued} ones), summed over every endpoint (a series per endpoint
 * would grow with every pod ever seen). Read by {@link UpstreamGauges}.
 */
public final class QueueRejections {
    private final LongAdder[] counts = new LongAdder[UpstreamLimitException.Reason.values().length];

    public QueueRejections() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void rejected(UpstreamLimitException.Reason reason) {
        assert reason.queued() : reason;
        counts[reason.ordinal()].increment();
    }

    public long count(UpstreamLimitException.Reason reason) {
        return counts[reason.ordinal()].sum();
    }
}
