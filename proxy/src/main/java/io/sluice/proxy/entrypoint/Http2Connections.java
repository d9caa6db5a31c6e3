package io.sluice.proxy.entrypoint;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.util.function.Consumer;

/**
 * Turns a client connection into an HTTP/2 connection: Netty's frame codec (with our limits) and multiplexer,
 * each stream a child channel running the HTTP/1 exchange handler through {@link Http2StreamAdapter}, one
 * exchange per stream, and {@link Http2ConnectionGuard} for drain and idle. Used after the prior-knowledge
 * preface ({@link Http2PrefaceDetector}), after ALPN chose {@code h2} ({@link AlpnProtocolSwitch}) and by the
 * {@code Upgrade: h2c} handler ({@link H2cUpgradeHandler}).
 */
final class Http2Connections {
    /** Connection pipeline handler names. */
    static final String PREFACE = "h2-preface";
    static final String ALPN = "alpn";
    static final String UPGRADE = "h2c-upgrade";
    static final String FRAMES = "h2-frames";
    static final String STREAMS = "h2-streams";
    static final String CONNECTION = "h2-connection";
    /** Stream pipeline handler names (then {@link EntrypointServer#PROXY}). */
    static final String STREAM_HEAD_CHECK = "h2-stream-head-check";
    static final String STREAM_CODEC = "h2-stream-codec";
    static final String STREAM_ADAPTER = "h2-stream-adapter";

    /** HTTP/1 handlers that leave the pipeline when it becomes HTTP/2. */
    private static final String[] HTTP1_HANDLERS = {
        EntrypointServer.CODEC, ResponseShaping.COMPRESS, ResponseShaping.RESPONSE_LIMIT, UPGRADE,
        EntrypointServer.HTTPS_REDIRECT, EntrypointServer.PROXY};

    private final Http2Limits limits;
    private final long maxHeaderListSize;
    private final Consumer<ChannelPipeline> exchanges;

    /**
     * @param maxHeaderListSize SETTINGS_MAX_HEADER_LIST_SIZE: decoded header bytes plus 32 per field (RFC 9113);
     *                          a larger request head gets 431, one a quarter larger again closes the connection
     * @param exchanges         adds a stream's exchange handlers (response shaping, then the proxy handler) after
     *                          the frame codec and the stream adapter
     */
    Http2Connections(Http2Limits limits, long maxHeaderListSize, Consumer<ChannelPipeline> exchanges) {
        this.limits = limits;
        this.maxHeaderListSize = maxHeaderListSize;
        this.exchanges = exchanges;
    }

    /** Replaces the HTTP/1 handlers of {@code pipeline} by the HTTP/2 ones; the connection then reads freely. */
    void switchFromHttp1(ChannelPipeline pipeline) {
        removeHttp1(pipeline);
        pipeline.addLast(FRAMES, frameCodec());
        addStreamsAndGuard(pipeline);
    }

    /** The handler that answers {@code Upgrade: h2c} with 101 and switches the connection. */
    HttpServerUpgradeHandler h2cUpgrade(int maxUpgradeBody) {
        return new H2cUpgradeHandler(ctx -> {
            stopHeadDeadline(ctx.pipeline());
            for (String name : HTTP1_HANDLERS) {
                if (!name.equals(UPGRADE) && ctx.pipeline().get(name) != null) {
                    ctx.pipeline().remove(name); // the upgrade handler removes itself when done
                }
            }
            ctx.channel().config().setAutoRead(true);
        }, protocol -> H2cUpgradeHandler.H2C.contentEquals(protocol)
                ? new Http2ServerUpgradeCodec(FRAMES, frameCodec(), multiplexer(), new Http2ConnectionGuard())
                : null, maxUpgradeBody);
    }

    private void removeHttp1(ChannelPipeline pipeline) {
        stopHeadDeadline(pipeline);
        for (String name : HTTP1_HANDLERS) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
    }

    private static void stopHeadDeadline(ChannelPipeline pipeline) {
        ClientTrafficWatch watch = (ClientTrafficWatch) pipeline.get(EntrypointServer.WATCH);
        if (watch != null) {
            watch.http2();
        }
    }

    private void addStreamsAndGuard(ChannelPipeline pipeline) {
        pipeline.addLast(STREAMS, multiplexer());
        pipeline.addLast(CONNECTION, new Http2ConnectionGuard());
        // streams are flow controlled one by one; the connection itself must always read (SETTINGS, PING, RST)
        pipeline.channel().config().setAutoRead(true);
    }

    private Http2MultiplexHandler multiplexer() {
        return new Http2MultiplexHandler(new StreamInitializer());
    }

    private Http2FrameCodec frameCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(limits.maxConcurrentStreams())
                        .maxHeaderListSize(maxHeaderListSize))
                .validateHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(limits.maxResetsPerWindow(),
                        (int) Math.max(1, limits.resetWindow().toSeconds()))
                .encoderEnforceMaxRstFramesPerWindow(limits.maxResetsPerWindow(),
                        (int) Math.max(1, limits.resetWindow().toSeconds()))
                .gracefulShutdownTimeoutMillis(limits.gracefulClose().toMillis())
                .build();
    }

    /** One stream: HTTP/2 frames to HTTP/1 objects, the adapter, then the exchange handler. */
    private final class StreamInitializer extends ChannelInitializer<Http2StreamChannel> {
        @Override
        protected void initChannel(Http2StreamChannel stream) {
            stream.config().setAutoRead(false); // the exchange handler reads when the backend can take more
            stream.pipeline().addLast(STREAM_HEAD_CHECK, new Http2PseudoHeaderCheck());
            stream.pipeline().addLast(STREAM_CODEC, new Http2StreamFrameToHttpObjectCodec(true));
            stream.pipeline().addLast(STREAM_ADAPTER, new Http2StreamAdapter());
            exchanges.accept(stream.pipeline());
        }
    }
}
