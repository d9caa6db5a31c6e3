package io.sluice.proxy.entrypoint;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.middleware.ForwardedRequest;
import java.net.InetAddress;

/**
 * The routing stage of an exchange: normalizes the request path, reads the active snapshot once, matches the
 * entrypoint's routes and, for a match, builds the {@link ForwardedRequest} the
 * route's middlewares will see. What to do when there is no route to take is the caller's: this only says why.
 */
final class RequestRouting {
    /** How routing ended; every value but {@link #ROUTED} comes with the answer the client gets. */
    enum Outcome {
        ROUTED(0, null, null),
        /** The path cannot be normalized (e.g. a broken percent-escape): refused as malformed. */
        BAD_PATH(400, "bad path", null),
        NO_CONFIG(503, "no configuration yet", "no-config"),
        NO_ROUTE(404, "no route", "no-route");

        final int status;
        final String text;
        /** The reason the proxy's answer is counted under; null for a malformed request. */
        final String reason;

        Outcome(int status, String text, String reason) {
            this.status = status;
            this.text = text;
            this.reason = reason;
        }
    }

    private final String entrypoint;
    private final ActiveSnapshot<CompiledSnapshot> active;
    private final PathNormalizer paths;
    private final ForwardingHeaders forwarding;
    private final String scheme;

    RequestRouting(String entrypoint, ActiveSnapshot<CompiledSnapshot> active, PathNormalizer paths,
            ForwardingHeaders forwarding, String scheme) {
        this.entrypoint = entrypoint;
        this.active = active;
        this.paths = paths;
        this.forwarding = forwarding;
        this.scheme = scheme;
    }

    /**
     * Matches {@code request} from {@code client} (the connection's client); when {@link Outcome#ROUTED},
     * sets the exchange's route and forwarded request.
     */
    Outcome route(HttpRequest request, ClientPeer client, Exchange exchange) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = paths.normalize(q < 0 ? uri : uri.substring(0, q));
        if (path == null) {
            return Outcome.BAD_PATH;
        }
        String query = q < 0 ? null : uri.substring(q + 1);
        ActiveSnapshot.Applied<CompiledSnapshot> snapshot = active.current();
        if (snapshot == null) {
            return Outcome.NO_CONFIG;
        }
        InetAddress peer = client.address();
        exchange.route = snapshot.compiled().router().match(entrypoint,
                new HttpRequestView(path, query, exchange.method, request.headers(), peer));
        if (exchange.route == null) {
            return Outcome.NO_ROUTE;
        }
        exchange.forwarded = new ForwardedRequest(path, query, request.headers(), scheme,
                request.headers().get(HttpHeaderNames.HOST), peer, client.trusted(), exchange.method);
        return Outcome.ROUTED;
    }
}
