package io.sluice.proxy.middleware;

import com.google.re2j.Pattern;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sluice.proxy.side.SideRequestClient;
import io.sluice.proxy.side.SideResponse;
import io.sluice.proxy.side.SideTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code forwardAuth} middleware: before proxying, asks an authentication service with a {@code GET}
 * carrying the request's headers (or only {@code authRequestHeaders}) and {@code X-Forwarded-Method/-Proto/-Host/
 * -Uri/-For}. A 2xx lets the request through with the {@code authResponseHeaders} of the answer copied onto it;
 * every client-sent copy of those headers is removed first, so a client can never forge them. Any other answer
 * (status, headers, body) goes to the client instead. When the service cannot be asked, the client gets a 500
 * (as with Traefik).
 */
public final class ForwardAuthMiddleware implements AsyncHttpMiddleware {
    /** Request headers never sent to the auth service: they describe our connection to it, not the request. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "te", "trailer", "transfer-encoding", "upgrade", "content-length", "host", "expect");
    /** Auth response headers not copied to the client: framing of the auth connection. */
    private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "trailer", "upgrade");

    private final SideRequestClient client;
    private final SideTarget address;
    private final boolean trustForwardHeader;
    private final List<String> authResponseHeaders;
    private final Pattern authResponseHeadersRegex;
    private final Set<String> authRequestHeaders;
    private final Set<String> addAuthCookiesToResponse;
    private final boolean tlsInsecureSkipVerify;

    /**
     * @param authResponseHeadersRegex null, or names of auth response headers to copy (RE2, case-insensitive)
     * @throws IllegalArgumentException when the address or the regex is invalid
     */
    public ForwardAuthMiddleware(SideRequestClient client, String address, boolean trustForwardHeader,
            List<String> authResponseHeaders, String authResponseHeadersRegex, List<String> authRequestHeaders,
            List<String> addAuthCookiesToResponse, boolean tlsInsecureSkipVerify) {
        this.client = client;
        this.address = SideTarget.parse(address);
        this.trustForwardHeader = trustForwardHeader;
        this.authResponseHeaders = List.copyOf(authResponseHeaders);
        try {
            this.authResponseHeadersRegex = authResponseHeadersRegex == null || authResponseHeadersRegex.isEmpty()
                    ? null : Pattern.compile(authResponseHeadersRegex, Pattern.CASE_INSENSITIVE);
        } catch (com.google.re2j.PatternSyntaxException e) {
            throw new IllegalArgumentException("authResponseHeadersRegex: " + e.getMessage());
        }
        this.authRequestHeaders = lowerCase(authRequestHeaders);
        this.addAuthCookiesToResponse = new TreeSet<>(addAuthCookiesToResponse);
        this.tlsInsecureSkipVerify = tlsInsecureSkipVerify;
    }

    private static Set<String> lowerCase(List<String> names) {
        Set<String> set = new TreeSet<>();
        names.forEach(n -> set.add(n.toLowerCase(Locale.ROOT)));
        return set;
    }

    @Override
    public Future<Reply> decide(ForwardedRequest request, Channel channel) {
        Promise<Reply> decision = channel.eventLoop().newPromise();
        Future<SideResponse> asked = client.send(channel.eventLoop(), channel.getClass(), HttpMethod.GET, address,
                authRequest(request), tlsInsecureSkipVerify);
        asked.addListener(f -> {
            if (!f.isSuccess()) {
                decision.trySuccess(Reply.of(new Answer(500, Map.of(), "authentication service unavailable")));
            } else {
                decision.trySuccess(decided(request, asked.getNow()));
            }
        });
        return decision;
    }

    /** The headers of the GET to the auth service. */
    HttpHeaders authRequest(ForwardedRequest request) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(name) || name.startsWith("x-forwarded-")) {
                continue;
            }
            if (authRequestHeaders.isEmpty() || authRequestHeaders.contains(name)) {
                headers.add(h.getKey(), h.getValue());
            }
        }
        String peer = request.peer() == null ? null : request.peer().getHostAddress();
        forwarded(headers, request, "X-Forwarded-Method", request.method());
        forwarded(headers, request, "X-Forwarded-Proto", request.scheme());
        forwarded(headers, request, "X-Forwarded-Host", request.host());
        forwarded(headers, request, "X-Forwarded-Uri", request.uri());
        String clientFor = request.headers().get("X-Forwarded-For");
        if (trustForwardHeader && clientFor != null && peer != null) {
            headers.set("X-Forwarded-For", clientFor + ", " + peer);
        } else if (peer != null) {
            headers.set("X-Forwarded-For", peer);
        }
        return headers;
    }

    /** Sets {@code name} to our value, or keeps the client's when {@code trustForwardHeader}. */
    private void forwarded(HttpHeaders headers, ForwardedRequest request, String name, String ours) {
        String clients = request.headers().get(name);
        if (trustForwardHeader && clients != null) {
            headers.set(name, clients);
        } else if (ours != null) {
            headers.set(name, ours);
        }
    }

    /** Lets the request through (null) with the auth headers copied onto it, or the auth service's answer. */
    Reply decided(ForwardedRequest request, SideResponse auth) {
        if (!auth.isSuccess()) {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (Map.Entry<String, String> h : auth.headers()) {
                if (!NOT_RETURNED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    headers.add(h);
                }
            }
            return new Reply(auth.status(), headers, auth.body());
        }
        HttpHeaders upstream = request.headers();
        for (String name : authResponseHeaders) {
            upstream.remove(name);
        }
        if (authResponseHeadersRegex != null) {
            List<String> forged = new ArrayList<>();
            for (String name : upstream.names()) {
                if (authResponseHeadersRegex.matcher(name).find()) {
                    forged.add(name);
                }
            }
            forged.forEach(upstream::remove);
        }
        for (Map.Entry<String, String> h : auth.headers()) {
            String name = h.getKey();
            boolean listed = authResponseHeaders.stream().anyMatch(name::equalsIgnoreCase);
            if (listed || (authResponseHeadersRegex != null && authResponseHeadersRegex.matcher(name).find())) {
                upstream.add(name, h.getValue());
            }
        }
        if (!addAuthCookiesToResponse.isEmpty()) {
            for (String setCookie : auth.all(HttpHeaderNames.SET_COOKIE.toString())) {
                if (addAuthCookiesToResponse.contains(cookieName(setCookie))) {
                    request.addToResponse(HttpHeaderNames.SET_COOKIE.toString(), setCookie);
                }
            }
        }
        return null;
    }

    private static String cookieName(String setCookie) {
        int eq = setCookie.indexOf('=');
        return eq < 0 ? setCookie.trim() : setCookie.substring(0, eq).trim();
    }

    @Override
    public void onResponse(ForwardedRequest request, HttpHeaders responseHeaders) {
        if (addAuthCookiesToResponse.isEmpty()) {
            return;
        }
        for (Map.Entry<String, String> h : request.responseAdditions()) {
            if (h.getKey().equalsIgnoreCase(HttpHeaderNames.SET_COOKIE.toString())
                    && addAuthCookiesToResponse.contains(cookieName(h.getValue()))) {
                responseHeaders.add(h.getKey(), h.getValue());
            }
        }
    }
}
