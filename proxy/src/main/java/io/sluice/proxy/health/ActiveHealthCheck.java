package io.sluice.proxy.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.proxy.upstream.UpstreamTlsPolicy;
import io.sluice.snapshot.HealthCheck;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes one endpoint of one service: every interval a {@code GET} of the check's path on a fresh connection,
 * passed when a response head with the expected status (any 2xx or 3xx by default) arrives within the timeout.
 * Everything runs on one event loop that serves no client connection, so a slow backend never delays a request.
 * The endpoint counts as healthy until a probe fails; one passed probe makes it healthy again. Redirects are
 * not followed. With a TLS policy the probe speaks TLS exactly as the service's requests do (same trust, client
 * certificate and verification), addressed by the check's hostname when it sets one: a failed handshake, an
 * untrusted certificate or a name mismatch fail the probe like a refused connection.
 */
public final class ActiveHealthCheck implements BooleanSupplier {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveHealthCheck.class);

    private final String serviceId;
    private final String address;
    private final int port;
    private final HealthCheck spec;
    private final EventLoop loop;
    private final Class<? extends Channel> channelType;
    private final UpstreamTlsPolicy tls;
    private volatile boolean healthy = true;
    private volatile boolean stopped;
    private boolean started;
    private ScheduledFuture<?> next;

    /** @param tls how to speak TLS to the endpoint; null: the probe is cleartext HTTP */
    ActiveHealthCheck(String serviceId, String address, int endpointPort, HealthCheck spec, UpstreamTlsPolicy tls,
            EventLoop loop, Class<? extends Channel> channelType) {
        this.serviceId = serviceId;
        this.address = address;
        this.port = spec.port() == null ? endpointPort : spec.port();
        this.spec = spec;
        this.loop = loop;
        this.channelType = channelType;
        this.tls = tls;
    }

    /** Whether the last probe passed (true before the first one ends). */
    @Override
    public boolean getAsBoolean() {
        return healthy;
    }

    public boolean healthy() {
        return healthy;
    }

    /** Probes now, then every interval until {@link #stop()}. Idempotent. */
    void start() {
        loop.execute(() -> {
            if (!started && !stopped) {
                started = true;
                probe();
            }
        });
    }

    /** Cancels the schedule; a probe in flight finishes without effect. */
    void stop() {
        stopped = true;
        loop.execute(() -> {
            if (next != null) {
                next.cancel(false);
            }
        });
    }

    private void probe() {
        if (stopped) {
            return;
        }
        Probe probe = new Probe();
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, spec.timeoutMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newProbeHandler(ch.alloc(), address, port, spec.hostname(),
                                    spec.timeoutMillis()));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(4096, 16384, 8192), probe);
                    }
                });
        ChannelFuture connect = bootstrap.connect(address, port);
        Channel channel = connect.channel();
        ScheduledFuture<?> timeout = loop.schedule(() -> probe.finish(channel, false, "timed out"),
                spec.timeoutMillis(), TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> {
            timeout.cancel(false);
            probe.finish(channel, false, "connection closed without a response");
        });
        connect.addListener(f -> {
            if (f.isSuccess()) {
                channel.writeAndFlush(request());
            } else {
                probe.finish(channel, false, "connect failed");
            }
        });
    }

    private FullHttpRequest request() {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, spec.path());
        String authority = address.indexOf(':') >= 0 ? "[" + address + "]:" + port : address + ":" + port;
        request.headers().set(HttpHeaderNames.HOST, spec.hostname() == null ? authority : spec.hostname());
        request.headers().set(HttpHeaderNames.USER_AGENT, "sluice-health-check");
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        spec.headers().forEach((name, value) -> request.headers().set(name, value));
        request.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        return request;
    }

    private boolean acceptable(int status) {
        return spec.expectedStatus() == null ? status >= 200 && status < 400 : status == spec.expectedStatus();
    }

    /** One probe's outcome: decided once, then the next probe is scheduled. */
    private final class Probe extends ChannelInboundHandlerAdapter {
        private boolean done;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse) {
                    int status = ((HttpResponse) msg).status().code();
                    if (status >= 200 || spec.expectedStatus() != null && status == spec.expectedStatus()) {
                        finish(ctx.channel(), acceptable(status), "status " + status);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            finish(ctx.channel(), false, "failed: " + cause.getClass().getSimpleName());
        }

        void finish(Channel channel, boolean passed, String why) {
            if (done) {
                return;
            }
            done = true;
            channel.close();
            if (stopped) {
                return;
            }
            if (passed != healthy) {
                LOG.info("service {}: endpoint {}:{} is {} (health check {}: {})", serviceId, address, port,
                        passed ? "up" : "down", spec.path(), why);
            }
            healthy = passed;
            next = loop.schedule(ActiveHealthCheck.this::probe, spec.intervalMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** {@code serviceId address:port}, for logs and tests. */
    @Override
    public String toString() {
        return serviceId + " " + address + ":" + port;
    }
}
