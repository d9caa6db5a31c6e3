package io.sluice.proxy.middleware;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sluice.proxy.balancer.ServiceBalancer;
import io.sluice.proxy.balancer.UpstreamTarget;
import io.sluice.proxy.side.SideRequestClient;
import io.sluice.proxy.side.SideResponse;
import io.sluice.proxy.side.SideTarget;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code errors} middleware: when the backend answers with one of the configured statuses, the data path
 * drops the backend's body and sends instead a page fetched from another service ({@code GET query}, with
 * {@code {status}} and {@code {url}} filled in), keeping the original status code. When that service fails, the
 * client gets the original status with a short text body.
 */
public final class ErrorsMiddleware implements HttpMiddleware {
    private final int[][] ranges;
    private final ServiceBalancer service;
    private final String query;
    private final SideRequestClient client;

    /**
     * @param status codes ({@code "404"}) or inclusive ranges ({@code "500-599"})
     * @throws IllegalArgumentException when a status is neither
     */
    public ErrorsMiddleware(List<String> status, ServiceBalancer service, String query, SideRequestClient client) {
        this.ranges = new int[status.size()][];
        for (int i = 0; i < status.size(); i++) {
            ranges[i] = range(status.get(i));
        }
        this.service = service;
        this.query = query.startsWith("/") ? query : "/" + query;
        this.client = client;
    }

    private static int[] range(String text) {
        String[] parts = text.trim().split("-", -1);
        try {
            int low = Integer.parseInt(parts[0].trim());
            int high = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : low;
            if (parts.length > 2 || low < 100 || high > 599 || low > high) {
                throw new NumberFormatException();
            }
            return new int[] {low, high};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("errors: status \"" + text + "\" is not a code or a range like 500-599");
        }
    }

    /** Whether a response with {@code status} is replaced by an error page. */
    public boolean handles(int status) {
        for (int[] range : ranges) {
            if (status >= range[0] && status <= range[1]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        return null;
    }

    /**
     * Fetches the error page for a response with {@code status} to {@code request}. The future always
     * succeeds, on the client's event loop: with the page under the original status, or the original status with
     * a short text when the error service failed.
     */
    public Future<Reply> page(ForwardedRequest request, int status, Channel channel) {
        Promise<Reply> page = channel.eventLoop().newPromise();
        UpstreamTarget target = service.pick();
        if (target == null) {
            return page.setSuccess(fallback(status));
        }
        String path = query.replace("{status}", Integer.toString(status))
                .replace("{url}", URLEncoder.encode(request.uri(), StandardCharsets.UTF_8));
        SideTarget where = new SideTarget(false, target.endpoint().address(), target.endpoint().port(), path);
        HttpHeaders headers = new DefaultHttpHeaders();
        for (String name : List.of("Accept", "Accept-Language", "User-Agent")) {
            String value = request.headers().get(name);
            if (value != null) {
                headers.set(name, value);
            }
        }
        client.send(channel.eventLoop(), channel.getClass(), HttpMethod.GET, where, headers, false)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        page.trySuccess(fallback(status));
                        return;
                    }
                    SideResponse fetched = (SideResponse) f.getNow();
                    List<Map.Entry<String, String>> kept = new ArrayList<>();
                    String type = fetched.first(HttpHeaderNames.CONTENT_TYPE.toString());
                    if (type != null) {
                        kept.add(Map.entry(HttpHeaderNames.CONTENT_TYPE.toString(), type));
                    }
                    page.trySuccess(new Reply(status, kept, fetched.body()));
                });
        return page;
    }

    private static Reply fallback(int status) {
        return Reply.of(new Answer(status, Map.of(), HttpResponseStatus.valueOf(status).reasonPhrase()));
    }
}
