package io.sluice.proxy.mirror;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.proxy.upstream.UpstreamConnection;
import io.sluice.proxy.upstream.UpstreamListener;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The exchange of one mirrored copy: reads the mirror's answer to the end and drops it, then gives the
 * connection back to the pool (or closes it when the answer is late, malformed or asks to close).
 */
final class DiscardingExchange implements UpstreamListener {
    private final UpstreamConnection connection;
    private final ScheduledFuture<?> timeout;
    private boolean finalResponse;
    private boolean reusable;
    private boolean ended;

    DiscardingExchange(UpstreamConnection connection, Duration responseTimeout) {
        this.connection = connection;
        this.timeout = connection.channel().eventLoop().schedule(() -> end(false), responseTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void onResponse(Object message) {
        try {
            if (message instanceof HttpResponse) {
                HttpResponse response = (HttpResponse) message;
                if (response.decoderResult().isFailure()) {
                    end(false);
                    return;
                }
                finalResponse = response.status().code() >= 200;
                reusable = HttpUtil.isKeepAlive(response);
            }
            if (message instanceof HttpContent && ((HttpContent) message).decoderResult().isFailure()) {
                end(false);
                return;
            }
            if (message instanceof LastHttpContent && finalResponse) {
                end(reusable);
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    @Override
    public void onReadComplete() {
        if (!ended) {
            connection.channel().read();
        }
    }

    @Override
    public void onWritabilityChanged(boolean writable) {
        // the copy is written whole; nothing to pace
    }

    @Override
    public void onClosed(Throwable cause) {
        end(false);
    }

    private void end(boolean reuse) {
        if (ended) {
            return;
        }
        ended = true;
        timeout.cancel(false);
        connection.release(reuse);
    }
}
