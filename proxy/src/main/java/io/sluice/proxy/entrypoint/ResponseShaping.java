package io.sluice.proxy.entrypoint;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.sluice.proxy.middleware.ForwardedRequest;
import io.sluice.proxy.middleware.ResponseCompression;

/**
 * Hands one proxied response's per-route treatment from the exchange to the client pipeline's response handlers
 * ({@link ResponseBodyLimiter}, {@link ResponseCompressor}), which sit in front of every connection but act only
 * on responses whose route asked for them. Set just before the response head is written; each handler takes
 * (and clears) its value when that head passes, so answers the proxy makes itself are never affected.
 */
final class ResponseShaping {
    static final AttributeKey<ResponseCompression> COMPRESSION = AttributeKey.valueOf("sluice.response-compression");
    static final AttributeKey<Long> BODY_LIMIT = AttributeKey.valueOf("sluice.response-body-limit");

    private ResponseShaping() {
    }

    /** Called with the exchange of the final response head about to be written on {@code channel}. */
    static void select(Channel channel, ForwardedRequest exchange) {
        if (exchange == null) {
            return;
        }
        // nothing to clear when nothing is selected: the handlers took (and cleared) the last values at the last head
        ResponseCompression compression = exchange.responseCompression();
        if (compression != null) {
            channel.attr(COMPRESSION).set(compression);
        }
        long limit = exchange.responseBodyLimit();
        if (limit > 0) {
            channel.attr(BODY_LIMIT).set(limit);
        }
    }
}
