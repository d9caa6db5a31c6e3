package io.sluice.proxy.entrypoint;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/**
 * After the TLS handshake, keeps the HTTP/1.1 pipeline or switches it to HTTP/2, by the protocol ALPN chose
 * ({@code h2} preferred; no ALPN at all means HTTP/1.1). Handshake and I/O failures go on to the exchange handler,
 * which closes the connection, as without this handler.
 */
final class AlpnProtocolSwitch extends ApplicationProtocolNegotiationHandler {
    private final Http2Connections http2;

    AlpnProtocolSwitch(Http2Connections http2) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.http2 = http2;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            http2.switchFromHttp1(ctx.pipeline());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.fireExceptionCaught(cause);
    }
}
