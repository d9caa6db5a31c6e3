package io.sluice.proxy.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.sluice.snapshot.TlsOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The certificate to present for a TLS server name (SNI), fixed for one snapshot. Lookup order: an exact name,
 * then a wildcard {@code *.example.com} that covers exactly one more label ({@code a.example.com}, not
 * {@code example.com} nor {@code a.b.example.com}), else the default certificate; names compare
 * case-insensitively and a trailing dot is ignored. A client that sends no server name gets the default.
 *
 * <p>When two certificates claim the same name, the one whose id sorts first (by {@link String#compareTo})
 * wins, so the choice never depends on snapshot order.
 *
 * <p>Immutable and safe to share between event loops; pass it (or a {@link CurrentSniCertificates}) to
 * {@code new SniHandler(mapping)}.
 */
public final class SniCertificates implements Mapping<String, SslContext> {
    private final Map<String, CompiledCertificate> exact;
    private final Map<String, CompiledCertificate> wildcardByParent;
    private final Map<String, CompiledCertificate> byId;
    private final CompiledCertificate defaultCertificate;
    /** Null: every handshake gets the certificate's own context (the proxy's built-in TLS settings). */
    private final TlsOptionsByHost options;
    /** Context per {@link #contextKey}; a missing entry refuses the handshake rather than weaken it. */
    private final Map<String, SslContext> optionContexts;

    public SniCertificates(List<CompiledCertificate> certificates, CompiledCertificate defaultCertificate) {
        this(certificates, defaultCertificate, null, Map.of());
    }

    private SniCertificates(List<CompiledCertificate> certificates, CompiledCertificate defaultCertificate,
            TlsOptionsByHost options, Map<String, SslContext> optionContexts) {
        this.options = options;
        this.optionContexts = Map.copyOf(optionContexts);
        this.defaultCertificate = Objects.requireNonNull(defaultCertificate, "defaultCertificate");
        List<CompiledCertificate> ordered = new ArrayList<>(certificates);
        ordered.sort(Comparator.comparing(CompiledCertificate::id));
        Map<String, CompiledCertificate> exactNames = new HashMap<>();
        Map<String, CompiledCertificate> wildcards = new HashMap<>();
        Map<String, CompiledCertificate> ids = new HashMap<>();
        for (CompiledCertificate certificate : ordered) {
            ids.putIfAbsent(certificate.id(), certificate);
            for (String name : certificate.serverNames()) {
                if (name.startsWith("*.")) {
                    wildcards.putIfAbsent(name.substring(2), certificate);
                } else if (!name.contains("*")) {
                    exactNames.putIfAbsent(name, certificate);
                }
                // other wildcard forms (a*.example.com) are not honoured, as in RFC 6125 section 6.4.3 practice
            }
        }
        this.exact = Map.copyOf(exactNames);
        this.wildcardByParent = Map.copyOf(wildcards);
        this.byId = Map.copyOf(ids);
    }

    /** The certificate for a server name; {@code null} (no SNI) gives the default. */
    public CompiledCertificate select(String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return defaultCertificate;
        }
        String name = serverName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        CompiledCertificate certificate = exact.get(name);
        if (certificate != null) {
            return certificate;
        }
        int dot = name.indexOf('.');
        if (dot > 0) {
            certificate = wildcardByParent.get(name.substring(dot + 1));
            if (certificate != null) {
                return certificate;
            }
        }
        return defaultCertificate;
    }

    /**
     * These certificates served under per-host TLS options.
     *
     * @param contexts by {@link #contextKey(String, String)}, built off the event loop for every certificate and
     *                 every options set in use
     */
    public SniCertificates withOptions(TlsOptionsByHost hostOptions, Map<String, SslContext> contexts) {
        return new SniCertificates(List.copyOf(byId.values()), defaultCertificate, hostOptions, contexts);
    }

    /** Key of the context of a certificate under an options set. */
    public static String contextKey(String certificateId, String optionsId) {
        return certificateId + "\n" + optionsId;
    }

    /**
     * For Netty's {@code SniHandler}: the certificate for the name, under the TLS options of the name's routers.
     * Throws (and the handshake fails) when those options are {@code sniStrict} and only the default certificate
     * would answer, or when they could not be built.
     */
    @Override
    public SslContext map(String serverName) {
        CompiledCertificate certificate = select(serverName);
        TlsOptions hostOptions = options == null ? null : options.forName(serverName);
        if (hostOptions == null) {
            return certificate.context();
        }
        if (hostOptions.sniStrict() && certificate == defaultCertificate) {
            throw new HandshakeRefusedException("no certificate for server name \"" + serverName
                    + "\" and TLS options " + hostOptions.id() + " are sniStrict");
        }
        SslContext context = optionContexts.get(contextKey(certificate.id(), hostOptions.id()));
        if (context == null) {
            throw new HandshakeRefusedException("TLS options " + hostOptions.id() + " could not be built");
        }
        return context;
    }

    /** The TLS options by host, or null when every handshake gets the built-in settings. */
    public TlsOptionsByHost options() {
        return options;
    }

    /** A certificate by its snapshot id, for routers that name one in {@code tls.certificate}. */
    public Optional<CompiledCertificate> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public CompiledCertificate defaultCertificate() {
        return defaultCertificate;
    }

    /** Number of certificates besides the default. */
    public int size() {
        return byId.size();
    }

    @Override
    public String toString() {
        return "SniCertificates[certificates=" + byId.size() + ", default=" + defaultCertificate.id() + "]";
    }
}
