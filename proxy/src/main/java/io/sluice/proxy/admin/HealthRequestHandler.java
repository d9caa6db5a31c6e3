package io.sluice.proxy.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sluice.snapshot.SnapshotVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The read-only health API: liveness, readiness, Prometheus metrics and the snapshot debug view. */
final class HealthRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Readiness readiness;
    private final PrometheusMeterRegistry registry;
    private final Supplier<Optional<SnapshotVersion>> version;
    private final Supplier<List<RouteSummary>> routes;
    private final AdminResponses responses;

    HealthRequestHandler(Readiness readiness, PrometheusMeterRegistry registry,
            Supplier<Optional<SnapshotVersion>> version, Supplier<List<RouteSummary>> routes,
            AdminResponses responses) {
        this.readiness = readiness;
        this.registry = registry;
        this.version = version;
        this.routes = routes;
        this.responses = responses;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            AdminResponses.send(ctx, responses.text(HttpResponseStatus.BAD_REQUEST, "malformed request\n"),
                    false, false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = HttpMethod.HEAD.equals(request.method());
        if (!head && !HttpMethod.GET.equals(request.method())) {
            FullHttpResponse refused = responses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "read-only\n");
            refused.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            AdminResponses.send(ctx, refused, keepAlive, false);
            return;
        }
        AdminResponses.send(ctx, respond(new QueryStringDecoder(request.uri()).path()), keepAlive, head);
    }

    private FullHttpResponse respond(String path) {
        switch (path) {
            case "/live":
                return responses.text(HttpResponseStatus.OK, "ok\n");
            case "/ready":
                return readiness.notReadyReason()
                        .map(reason -> responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, reason + "\n"))
                        .orElseGet(() -> responses.text(HttpResponseStatus.OK, "ready\n"));
            case "/metrics":
                return responses.response(HttpResponseStatus.OK, PROMETHEUS_TEXT,
                        registry.scrape().getBytes(StandardCharsets.UTF_8));
            case "/debug/snapshot":
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("version", version.get().map(SnapshotVersion::toString).orElse(null));
                view.put("routes", routes.get());
                return responses.json(HttpResponseStatus.OK, view);
            default:
                return responses.text(HttpResponseStatus.NOT_FOUND, "not found\n");
        }
    }
}
