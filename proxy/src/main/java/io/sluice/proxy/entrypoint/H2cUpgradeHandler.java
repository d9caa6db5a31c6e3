package io.sluice.proxy.entrypoint;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import java.util.List;
import java.util.Locale;

/**
 * {@code Upgrade: h2c} on a cleartext HTTP/1.1 connection (RFC 7540 section 3.2): Netty's upgrade handler,
 * limited to requests that ask for {@code h2c} (a WebSocket upgrade must stream through untouched), and removed
 * after the first request, as the upgrade is only meaningful there. A request it aggregated but could not
 * upgrade is passed on as head plus last content, the events the exchange handler expects.
 */
final class H2cUpgradeHandler extends HttpServerUpgradeHandler {
    static final String H2C = "h2c";

    H2cUpgradeHandler(SourceCodec source, UpgradeCodecFactory codecs, int maxUpgradeBody) {
        super(source, codecs, maxUpgradeBody,
                io.netty.handler.codec.http.DefaultHttpHeadersFactory.headersFactory(),
                io.netty.handler.codec.http.DefaultHttpHeadersFactory.trailersFactory(), true);
    }

    @Override
    protected boolean shouldHandleUpgradeRequest(HttpRequest request) {
        for (String value : request.headers().getAll(HttpHeaderNames.UPGRADE)) {
            for (String token : value.split(",")) {
                if (token.trim().toLowerCase(Locale.ROOT).equals(H2C)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
        super.decode(ctx, msg, out);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) instanceof FullHttpRequest) {
                FullHttpRequest full = (FullHttpRequest) out.get(i);
                out.set(i, new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(),
                        full.headers()));
                out.add(i + 1, new DefaultLastHttpContent(full.content().retain(), full.trailingHeaders()));
                full.release();
                i++;
            }
        }
    }
}
