package io.sluice.proxy.entrypoint;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.snapshot.HostNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * {@code --redirect-web-to-https}: the plain HTTP entrypoint answers every request with a permanent redirect to
 * the same host, path and query on HTTPS (301 for GET and HEAD, which browsers cache, 308 for other methods, which
 * keeps method and body, as Traefik's entrypoint redirection does) instead of proxying it. ACME HTTP-01 challenges
 * ({@code /.well-known/acme-challenge/}) and requests the codec could not parse go on to the proxy as before, so
 * certificate issuance and the 400 answers keep working. Sits just before the proxy handler; one per connection.
 */
public final class HttpsRedirectHandler extends ChannelInboundHandlerAdapter {
    /** Paths a certificate authority must reach over plain HTTP (RFC 8555 section 8.3). */
    static final String ACME_CHALLENGE_PREFIX = "/.well-known/acme-challenge/";
    private static final Pattern HOST = Pattern.compile("[a-z0-9._-]+|\\[[0-9a-f:.]+\\]");

    private final int httpsPort;
    /** Between a passed-through request and its last content. */
    private boolean passing;
    /** Between an answered request and its last content, whose body is dropped. */
    private boolean discarding;
    private boolean closeAfterBody;

    /** @param httpsPort the port in the redirect; 443 leaves it out of the URL */
    public HttpsRedirectHandler(int httpsPort) {
        this.httpsPort = httpsPort;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (passing) {
            passing = !(msg instanceof LastHttpContent);
            ctx.fireChannelRead(msg);
            return;
        }
        if (discarding) {
            discarding = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
            if (!discarding && closeAfterBody) {
                ctx.close();
            } else {
                ctx.read();
            }
            return;
        }
        if (!(msg instanceof HttpRequest)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HttpRequest request = (HttpRequest) msg;
        String target = target(request);
        if (request.decoderResult().isFailure() || target.startsWith(ACME_CHALLENGE_PREFIX)) {
            passing = !(msg instanceof LastHttpContent);
            ctx.fireChannelRead(msg);
            return;
        }
        discarding = !(msg instanceof LastHttpContent);
        ReferenceCountUtil.release(msg);
        answer(ctx, request, target);
    }

    private void answer(ChannelHandlerContext ctx, HttpRequest request, String target) {
        String host = HostNames.normalize(host(request));
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        DefaultFullHttpResponse response;
        if (host == null || host.isEmpty() || !HOST.matcher(host).matches()) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST);
            keepAlive = false;
        } else {
            boolean safe = HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    safe ? HttpResponseStatus.MOVED_PERMANENTLY : HttpResponseStatus.PERMANENT_REDIRECT);
            response.headers().set(HttpHeaderNames.LOCATION,
                    "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + target);
        }
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        closeAfterBody = !keepAlive;
        if (!keepAlive && !discarding) {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(response);
        ctx.read();
    }

    private static String host(HttpRequest request) {
        String uri = request.uri();
        if (!uri.startsWith("/")) {
            try {
                String authority = new URI(uri).getRawAuthority();
                if (authority != null) {
                    return authority;
                }
            } catch (URISyntaxException e) {
                return null;
            }
        }
        return request.headers().get(HttpHeaderNames.HOST);
    }

    /** The path and query: origin-form as sent, absolute-form reduced to it, anything else {@code /}. */
    private static String target(HttpRequest request) {
        String uri = request.uri();
        if (uri.startsWith("/")) {
            return uri;
        }
        try {
            URI absolute = new URI(uri);
            String path = absolute.getRawPath() == null || absolute.getRawPath().isEmpty() ? "/" : absolute.getRawPath();
            return absolute.getRawQuery() == null ? path : path + "?" + absolute.getRawQuery();
        } catch (URISyntaxException e) {
            return "/";
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.fireChannelReadComplete();
    }
}
