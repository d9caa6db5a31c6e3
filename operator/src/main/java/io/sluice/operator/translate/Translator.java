package io.sluice.operator.translate;

import io.sluice.operator.crd.IngressRoute;
import io.sluice.proxy.router.RuleParser;
import io.sluice.proxy.router.RuleSyntaxException;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The pure translation from a {@link ClusterView} to snapshot content plus per-object problems and statuses.
 * Deterministic: the same view gives equal output, whatever the order of its lists. A broken object is left out
 * and reported; every other object keeps serving.
 */
public final class Translator {
    private final Function<String, Optional<String>> ruleCheck;

    /** A translator that checks IngressRoute rules with the proxy's own {@link RuleParser}. */
    public Translator() {
        this(Translator::parseRule);
    }

    /** @param ruleCheck says why a Traefik rule is invalid, or returns empty when it parses */
    public Translator(Function<String, Optional<String>> ruleCheck) {
        this.ruleCheck = ruleCheck;
    }

    private static Optional<String> parseRule(String rule) {
        try {
            new RuleParser().parse(rule);
            return Optional.empty();
        } catch (RuleSyntaxException e) {
            return Optional.of("invalid rule: " + e.getMessage());
        }
    }

    public Translation translate(ClusterView view) {
        TranslationOptions options = view.options();
        SnapshotDraft draft = new SnapshotDraft();
        SecretLookup secrets = new SecretLookup(view.secrets());
        Tls tls = new Tls(secrets);
        BackendResolver backends = new BackendResolver(view.services(), view.endpointSlices());
        Set<String> usable = new MiddlewareTranslator(secrets, options.allowCrossNamespace(), backends)
                .translate(view.middlewares(), draft);
        MiddlewareRefs refs = new MiddlewareRefs(usable, options.allowCrossNamespace());
        TlsOptionsTranslator tlsOptions = new TlsOptionsTranslator(view.tlsOptions(), secrets,
                options.operatorNamespace(), options.allowCrossNamespace(), draft);
        tlsOptions.translateDefault();
        defaultCertificate(options, tls, draft);
        ServersTransports transports = new ServersTransports(view.serversTransports(), secrets, tls,
                options.allowCrossNamespace());
        new IngressTranslator(options, backends, tls, refs, tlsOptions, transports)
                .translate(view.ingresses(), view.ingressClasses(), draft);
        ServiceTargets services = new ServiceTargets(options, backends, view.traefikServices(), transports);
        services.translateAll(draft);
        IngressRouteTranslator routes = new IngressRouteTranslator(options, services, tls, refs, ruleCheck,
                tlsOptions);
        view.ingressRoutes().stream()
                .sorted(Comparator.comparing(ObjectRef::of))
                .forEach((IngressRoute ir) -> routes.translate(ir, draft));
        translateTcp(view, options, backends, draft);
        return draft.finish();
    }

    /** IngressRouteTCPs: TLS passthrough routes by server name ({@link IngressRouteTcpTranslator}). */
    private static void translateTcp(ClusterView view, TranslationOptions options, BackendResolver backends,
            SnapshotDraft draft) {
        IngressRouteTcpTranslator tcp = new IngressRouteTcpTranslator(options, backends);
        view.ingressRouteTcps().stream()
                .sorted(Comparator.comparing(ObjectRef::of))
                .forEach(irt -> tcp.translate(irt, draft));
    }

    /** The {@code --default-certificate} Secret; its problems are reported on the Secret itself. */
    private static void defaultCertificate(TranslationOptions options, Tls tls, SnapshotDraft draft) {
        String ref = options.defaultCertificate();
        if (ref == null) {
            return;
        }
        int slash = ref.indexOf('/');
        String id = tls.certificate(ref.substring(0, slash), ref.substring(slash + 1),
                new ObjectRef("Secret", ref.substring(0, slash), ref.substring(slash + 1)), "--default-certificate",
                draft);
        if (id != null) {
            draft.defaultCertificate(id);
        }
    }
}
