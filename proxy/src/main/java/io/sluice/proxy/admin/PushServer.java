package io.sluice.proxy.admin;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslContext;
import io.sluice.proxy.apply.SnapshotApplier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The port the operator pushes snapshots to, apart from traffic and health. Every request is authenticated: by
 * the bearer token when a token file is configured, by a client certificate when a client CA is configured
 * (both when both are). With neither, the port refuses every request and says why in the log at start. See
 * {@code docs/proxy-admin.md} for the API.
 */
public final class PushServer extends AdminServer {
    private static final Logger log = LoggerFactory.getLogger(PushServer.class);
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

    static final String AUTH = "push-auth";
    static final String AGGREGATOR = "push-aggregator";
    static final String API = "push-api";

    /**
     * How the push port is reached and secured.
     *
     * @param token        null without a token file
     * @param tls          null for plain HTTP
     * @param maxBodyBytes larger snapshot documents get 413
     */
    public record Settings(InetSocketAddress address, BearerTokenFile token, PushTlsContext tls, int maxBodyBytes) {
        public Settings {
            Objects.requireNonNull(address, "address");
            if (maxBodyBytes <= 0) {
                throw new IllegalArgumentException("maxBodyBytes must be > 0");
            }
        }
    }

    public PushServer(Settings settings, EventLoopGroup group, SnapshotApplier<?> applier) throws IOException {
        super(listener(settings, group, Objects.requireNonNull(applier, "applier")));
    }

    private static HttpListener listener(Settings settings, EventLoopGroup group, SnapshotApplier<?> applier)
            throws IOException {
        SslContext ssl = settings.tls() == null ? null : settings.tls().build();
        boolean mutualTls = settings.tls() != null && settings.tls().requiresClientCertificate();
        BearerTokenFile token = settings.token();
        if (token == null && !mutualTls) {
            log.warn("push port: no --push-token-file and no --push-client-ca, so every push request is refused");
        }
        AdminResponses responses = new AdminResponses();
        return new HttpListener("push", settings.address(), group, ssl, p -> {
            if (token != null || !mutualTls) {
                p.addLast(AUTH, new PushAuthHandler(token, responses));
            }
            p.addLast(AGGREGATOR, new HttpObjectAggregator(settings.maxBodyBytes()));
            p.addLast(API, new PushRequestHandler(applier, responses));
        });
    }
}
