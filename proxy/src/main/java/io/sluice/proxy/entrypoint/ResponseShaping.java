package io.sluice.proxy.entrypoint;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMethod;
import io.sluice.proxy.middleware.ContentEncodings;
import io.sluice.proxy.middleware.ForwardedRequest;
import io.sluice.proxy.middleware.ResponseCompression;

/**
 * Hands one proxied response's per-route treatment from the exchange to the response handlers
 * ({@link ResponseCompressor}, {@link ResponseBodyLimiter}). They are added to a connection's (or an HTTP/2
 * stream's) pipeline the first time one of its routes asks for them, just in front of the exchange handler, and
 * stay for its later responses: a connection whose routes never compress or limit a response never has them, so
 * its messages do not pass through two handlers that would only hand them on. Told just before the final
 * response head is written; each handler takes its instruction when that head passes, so answers the proxy makes
 * itself are never affected.
 */
final class ResponseShaping {
    static final String COMPRESS = "response-compressor";
    static final String RESPONSE_LIMIT = "response-body-limit";

    private final ContentEncodings encodings;

    ResponseShaping(ContentEncodings encodings) {
        this.encodings = encodings;
    }

    /**
     * Called by the exchange handler {@code exchangeContext} with the exchange whose final response head it is
     * about to write, and the request's method.
     */
    void select(ChannelHandlerContext exchangeContext, ForwardedRequest exchange, String method) {
        if (exchange == null) {
            return;
        }
        ResponseCompression compression = exchange.responseCompression();
        long limit = exchange.responseBodyLimit();
        ChannelPipeline pipeline = exchangeContext.pipeline();
        if (limit > 0) {
            ResponseBodyLimiter limiter = (ResponseBodyLimiter) pipeline.get(RESPONSE_LIMIT);
            if (limiter == null) {
                limiter = new ResponseBodyLimiter();
                pipeline.addBefore(exchangeContext.name(), RESPONSE_LIMIT, limiter);
            }
            limiter.limitNext(limit);
        }
        if (compression != null) {
            ResponseCompressor compressor = (ResponseCompressor) pipeline.get(COMPRESS);
            if (compressor == null) {
                compressor = new ResponseCompressor(encodings);
                // the limit counts the body as the backend sent it: the compressor comes after the limiter
                pipeline.addBefore(pipeline.get(RESPONSE_LIMIT) != null ? RESPONSE_LIMIT : exchangeContext.name(),
                        COMPRESS, compressor);
            }
            compressor.compressNext(compression, HttpMethod.valueOf(method));
        }
    }
}
