package io.sluice.proxy.balancer;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.proxy.upstream.UpstreamEndpoint;
import io.sluice.proxy.upstream.UpstreamSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where one request goes: the endpoint, and how to talk to it (the owning load balancer's id, whether the
 * client's Host header is passed, and the effective timeouts), plus the sticky-session cookies the response
 * must set because this pick was not (or no longer could be) the one the client's cookies asked for.
 *
 * @param setCookies {@code Set-Cookie} header values for the response; empty when nothing changes
 * @param mirror     where copies of the request go; null when it is not mirrored
 */
public record UpstreamTarget(
        String serviceId, UpstreamEndpoint endpoint, boolean passHostHeader, UpstreamSettings settings,
        List<String> setCookies, MirrorPlan mirror) {
    public UpstreamTarget {
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(settings, "settings");
        setCookies = setCookies == null ? List.of() : List.copyOf(setCookies);
    }

    /** A target that sets no cookie. */
    public UpstreamTarget(String serviceId, UpstreamEndpoint endpoint, boolean passHostHeader,
            UpstreamSettings settings) {
        this(serviceId, endpoint, passHostHeader, settings, List.of(), null);
    }

    /** This target with one more cookie to set (an outer sticky service's). */
    public UpstreamTarget withCookie(String setCookie) {
        List<String> all = new ArrayList<>(setCookies.size() + 1);
        all.add(setCookie);
        all.addAll(setCookies);
        return new UpstreamTarget(serviceId, endpoint, passHostHeader, settings, all, mirror);
    }

    /** This target with copies of the request sent as {@code plan} says. */
    public UpstreamTarget withMirror(MirrorPlan plan) {
        return new UpstreamTarget(serviceId, endpoint, passHostHeader, settings, setCookies, plan);
    }

    /** Adds the sticky-session cookies of this pick to a response's headers (final responses only). */
    public void addResponseHeaders(HttpHeaders responseHeaders) {
        for (String cookie : setCookies) {
            responseHeaders.add(HttpHeaderNames.SET_COOKIE, cookie);
        }
    }
}
