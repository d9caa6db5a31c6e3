package io.sluice.proxy.tls;

import io.netty.handler.ssl.SslContext;
import io.sluice.proxy.router.RouterHosts;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.TlsOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compiles everything TLS of one snapshot for one HTTPS entrypoint: its certificates (against the set served now,
 * see {@link CertificateCompiler#compile(java.util.Collection, SniCertificates)}), the default certificate (the
 * snapshot's when it names one, else the proxy's own) and the per-host TLS options with a context for every
 * certificate under every options set in use. Never refuses a snapshot: everything that cannot be served is
 * reported in {@link Result#problems()}, by id and reason, never by content. Call it off the event loops; one
 * snapshot at a time.
 */
public final class SnapshotTlsCompiler {
    private final CertificateCompiler certificates;
    private final TlsOptionsContexts optionContexts;
    private final CompiledCertificate proxyDefault;
    private final String entrypoint;
    private final RouterHosts routerHosts = new RouterHosts();
    private SniCertificates last;

    /**
     * @param proxyDefault the default certificate from the proxy's own flags (files, else self-signed)
     * @param entrypoint   the HTTPS entrypoint's name, to pick the routers listening on it
     */
    public SnapshotTlsCompiler(CertificateCompiler certificates, CompiledCertificate proxyDefault, String entrypoint) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.proxyDefault = Objects.requireNonNull(proxyDefault, "proxyDefault");
        this.entrypoint = Objects.requireNonNull(entrypoint, "entrypoint");
        this.optionContexts = new TlsOptionsContexts(certificates.provider(), certificates.alpnProtocols());
        this.last = new SniCertificates(List.of(), proxyDefault);
    }

    /** What the entrypoint serves before the first snapshot. */
    public SniCertificates initial() {
        return new SniCertificates(List.of(), proxyDefault);
    }

    public synchronized Result compile(RoutingSnapshot snapshot) {
        List<String> problems = new ArrayList<>();
        CompiledCertificates compiled = certificates.compile(snapshot.certificates(), last);
        compiled.problems().forEach(p -> problems.add("certificate " + p.certificateId() + ": " + p.reason()));
        CompiledCertificate defaultCertificate = proxyDefault;
        if (snapshot.defaultCertificate() != null) {
            defaultCertificate = compiled.certificates().stream()
                    .filter(c -> c.id().equals(snapshot.defaultCertificate())).findFirst().orElse(null);
            if (defaultCertificate == null) {
                problems.add("defaultCertificate " + snapshot.defaultCertificate()
                        + " cannot be served; serving the proxy's own default " + proxyDefault.id());
                defaultCertificate = proxyDefault;
            }
        }
        SniCertificates sni = new SniCertificates(compiled.certificates(), defaultCertificate);
        TlsOptionsByHost hostOptions = TlsOptionsByHost.resolve(snapshot, entrypoint, routerHosts);
        problems.addAll(hostOptions.problems());
        if (!hostOptions.isEmpty()) {
            sni = sni.withOptions(hostOptions, contexts(compiled.certificates(), defaultCertificate, hostOptions,
                    problems));
        }
        last = sni;
        return new Result(sni, problems);
    }

    private Map<String, SslContext> contexts(List<CompiledCertificate> served, CompiledCertificate defaultCertificate,
            TlsOptionsByHost hostOptions, List<String> problems) {
        List<CompiledCertificate> all = new ArrayList<>(served);
        if (!all.contains(defaultCertificate)) {
            all.add(defaultCertificate);
        }
        Map<String, SslContext> contexts = new HashMap<>();
        optionContexts.begin();
        for (TlsOptions options : hostOptions.inUse()) {
            for (CompiledCertificate certificate : all) {
                try {
                    contexts.put(SniCertificates.contextKey(certificate.id(), options.id()),
                            optionContexts.context(certificate, options));
                } catch (InvalidCertificateException e) {
                    problems.add(e.problem().certificateId() + ": " + e.problem().reason()
                            + "; handshakes for its hosts are refused");
                    break;
                }
            }
        }
        optionContexts.finish();
        return contexts;
    }

    /**
     * @param certificates what the entrypoint serves for this snapshot
     * @param problems     what could not be served, safe to log (ids and reasons only)
     */
    public record Result(SniCertificates certificates, List<String> problems) {
        public Result {
            Objects.requireNonNull(certificates, "certificates");
            problems = List.copyOf(problems);
        }
    }
}
