package io.sluice.proxy.entrypoint;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.compression.CompressionOptions;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.sluice.proxy.middleware.ContentEncodings;
import io.sluice.proxy.middleware.ResponseCompression;
import java.util.ArrayList;
import java.util.List;

/**
 * Compresses the responses of routes with a {@code compress} middleware, and only those: Netty's compressor, told
 * per response by {@link ResponseShaping} ({@link #compressNext}) with the encoding the middleware chose for the
 * request. Informational responses other than 100 pass untouched (Netty would count them as the final response of
 * a request). Every other response, and every request, goes past without entering Netty's codec machinery (its
 * message lists, a retain and release per message, a queue entry per request).
 */
final class ResponseCompressor extends HttpContentCompressor {
    private final List<Object> ignored = new ArrayList<>(1);
    /** Told for the next final response head, taken when it passes. */
    private ResponseCompression next;
    private HttpMethod nextMethod;
    private ResponseCompression current;
    /** The response being written goes through Netty's compressor, up to its last content. */
    private boolean compressing;

    ResponseCompressor(ContentEncodings encodings) {
        super(0, options(encodings));
    }

    private static CompressionOptions[] options(ContentEncodings encodings) {
        List<CompressionOptions> options = new ArrayList<>();
        options.add(StandardCompressionOptions.gzip());
        if (encodings.isAvailable("br")) {
            options.add(StandardCompressionOptions.brotli());
        }
        if (encodings.isAvailable("zstd")) {
            options.add(StandardCompressionOptions.zstd());
        }
        return options.toArray(new CompressionOptions[0]);
    }

    /** The next final response head answers a {@code method} request and may be compressed by {@code compression}. */
    void compressNext(ResponseCompression compression, HttpMethod method) {
        this.next = compression;
        this.nextMethod = method;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse && ((HttpResponse) msg).status().code() >= 200) {
            current = next;
            next = null;
            compressing = current != null;
            if (compressing) {
                // Netty's compressor pairs each response with a request it saw: show it this one's method
                super.decode(ctx, new DefaultHttpRequest(HttpVersion.HTTP_1_1, nextMethod, "/"), ignored);
                ignored.clear();
            }
        }
        if (!compressing) {
            ctx.write(msg, promise);
            return;
        }
        if (msg instanceof LastHttpContent) {
            compressing = false;
        }
        super.write(ctx, msg, promise);
    }

    @Override
    protected Result beginEncode(HttpResponse response, String acceptEncoding) throws Exception {
        ResponseCompression compression = current;
        current = null;
        if (compression == null) {
            return null;
        }
        String encoding = compression.encodingFor(response.status().code(), response.headers());
        return encoding == null ? null : super.beginEncode(response, encoding);
    }
}
