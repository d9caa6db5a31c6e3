package io.sluice.proxy.entrypoint;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * The client's TCP connection behind a handler's channel. An HTTP/2 request runs on a stream child channel,
 * whose class is no socket type: the upstream pool needs the socket's class to open connections of the same
 * transport (epoll or NIO) on the same event loop.
 */
final class ClientSocket {
    private ClientSocket() {
    }

    /** {@code channel} itself, or the connection an HTTP/2 stream channel belongs to. */
    static Channel of(Channel channel) {
        return channel instanceof Http2StreamChannel ? channel.parent() : channel;
    }
}
