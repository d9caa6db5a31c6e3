package io.sluice.proxy.entrypoint;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.compression.CompressionOptions;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.proxy.middleware.ContentEncodings;
import io.sluice.proxy.middleware.ResponseCompression;
import java.util.ArrayList;
import java.util.List;

/**
 * Compresses the responses of routes with a {@code compress} middleware, and only those: Netty's compressor,
 * asked per response head through {@link ResponseShaping#COMPRESSION}, with the encoding the middleware chose
 * for the request. Informational responses other than 100 pass untouched (Netty would count them as the final
 * response of a request).
 */
final class ResponseCompressor extends HttpContentCompressor {
    private ResponseCompression current;
    private boolean passingInterim;

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

    @Override
    protected void encode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
        if (msg instanceof HttpResponse) {
            int code = ((HttpResponse) msg).status().code();
            if (code < 200 && code != 100) {
                passingInterim = !(msg instanceof LastHttpContent);
                out.add(ReferenceCountUtil.retain(msg));
                return;
            }
            if (code >= 200) {
                current = ctx.channel().attr(ResponseShaping.COMPRESSION).getAndSet(null);
            }
        } else if (passingInterim && msg instanceof HttpContent) {
            passingInterim = !(msg instanceof LastHttpContent);
            out.add(ReferenceCountUtil.retain(msg));
            return;
        }
        super.encode(ctx, msg, out);
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
