package io.sluice.proxy.tls;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.sluice.snapshot.TlsOptions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Builds the server context of one certificate under one {@link TlsOptions} set (versions, ciphers, client
 * certificates, ALPN), off the event loops. Contexts built for the previous snapshot are reused when neither the
 * certificate nor the options changed, so a snapshot that only moves a route does not rebuild every context.
 * Not thread-safe: the data plane calls it from one snapshot compilation at a time.
 */
public final class TlsOptionsContexts {
    private final TlsProvider provider;
    private final List<String> entrypointAlpn;
    private Map<Key, SslContext> previous = Map.of();
    private Map<Key, SslContext> building = new HashMap<>();

    /** @param entrypointAlpn what the entrypoint can speak after TLS; options may narrow it, never widen it */
    public TlsOptionsContexts(TlsProvider provider, List<String> entrypointAlpn) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.entrypointAlpn = List.copyOf(entrypointAlpn);
    }

    /** Starts a snapshot: contexts not asked for again before {@link #finish()} are dropped. */
    public void begin() {
        building = new HashMap<>();
    }

    public void finish() {
        previous = Map.copyOf(building);
    }

    /**
     * The context for {@code certificate} under {@code options}.
     *
     * @throws InvalidCertificateException with the options id as the subject when the options cannot be built
     *                                     (an unreadable CA bundle, no cipher the provider supports)
     */
    public SslContext context(CompiledCertificate certificate, TlsOptions options) throws InvalidCertificateException {
        if (certificate.key() == null) {
            return certificate.context();
        }
        Key key = new Key(certificate.source(), options);
        SslContext context = building.get(key);
        if (context == null) {
            context = previous.get(key);
        }
        if (context == null) {
            context = build(certificate, options);
        }
        building.put(key, context);
        return context;
    }

    private SslContext build(CompiledCertificate certificate, TlsOptions options) throws InvalidCertificateException {
        String subject = "tlsOptions " + options.id();
        SslContextBuilder builder = SslContextBuilder.forServer(certificate.key(),
                certificate.chain().toArray(new X509Certificate[0]))
                .sslProvider(provider.sslProvider())
                .protocols(protocols(options));
        if (options.cipherSuites().isEmpty()) {
            builder.ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
        } else {
            builder.ciphers(options.cipherSuites(), SupportedCipherSuiteFilter.INSTANCE);
        }
        clientAuth(builder, options, subject);
        List<String> alpn = alpn(options);
        if (!alpn.isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        try {
            SslContext context = builder.build();
            if (context.cipherSuites().isEmpty()) {
                throw new InvalidCertificateException(subject, "the TLS provider supports none of its cipherSuites");
            }
            return context;
        } catch (SSLException | RuntimeException e) {
            throw new InvalidCertificateException(subject, "the TLS provider rejected these options with certificate "
                    + certificate.id());
        }
    }

    private static String[] protocols(TlsOptions options) {
        String min = options.minVersion() == null ? "TLSv1.2" : options.minVersion();
        String max = options.maxVersion() == null ? "TLSv1.3" : options.maxVersion();
        List<String> protocols = new ArrayList<>();
        if (max.equals("TLSv1.3")) {
            protocols.add("TLSv1.3");
        }
        if (min.equals("TLSv1.2")) {
            protocols.add("TLSv1.2");
        }
        return protocols.toArray(new String[0]);
    }

    private static void clientAuth(SslContextBuilder builder, TlsOptions options, String subject)
            throws InvalidCertificateException {
        switch (options.clientAuth()) {
            case NONE:
                builder.clientAuth(ClientAuth.NONE);
                return;
            case REQUEST:
                builder.clientAuth(ClientAuth.OPTIONAL).trustManager(InsecureTrustManagerFactory.INSTANCE);
                return;
            case REQUIRE_ANY:
                builder.clientAuth(ClientAuth.REQUIRE).trustManager(InsecureTrustManagerFactory.INSTANCE);
                return;
            default:
                List<X509Certificate> cas = new PemDecoder(subject).certificates(
                        options.clientCaPem() == null ? "" : options.clientCaPem());
                builder.trustManager(cas.toArray(new X509Certificate[0]))
                        .clientAuth(options.clientAuth() == TlsOptions.ClientAuth.REQUIRE_AND_VERIFY
                                ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
    }

    /** The options' protocols the entrypoint can speak, in the options' order; the entrypoint's when none. */
    private List<String> alpn(TlsOptions options) {
        if (options.alpnProtocols().isEmpty()) {
            return entrypointAlpn;
        }
        List<String> offered = options.alpnProtocols().stream().filter(entrypointAlpn::contains).toList();
        return offered.isEmpty() ? entrypointAlpn : offered;
    }

    private record Key(String certificateSource, TlsOptions options) {
    }
}
