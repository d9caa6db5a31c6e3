package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.sluice.operator.crd.IngressRoute;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Translation that keeps each route object's result between calls and translates again only the objects a change
 * reaches. The output always equals {@link Translator#translate} of the same view (the property test checks it);
 * only the work differs.
 *
 * <p>Each call runs the shared steps in full (Middlewares, the default TLSOption and certificate, TraefikServices),
 * then versions every input a route object can read ({@link InputVersions}) and drops, through each kind's
 * {@link ObjectMemo} reverse index, the cached results that read a changed input. Each Ingress of ours and each
 * IngressRoute is then taken from its memo (when its own version is unchanged) or translated into a draft of its
 * own while its reads are recorded; the cross-object steps (Ingress conflicts, statuses, unreached services) run
 * over all results, cached or not. A change of the options drops everything.
 *
 * <p>Not thread-safe: one caller (the snapshot loop's thread) at a time.
 */
public final class IncrementalTranslator {
    private final Function<String, Optional<String>> ruleCheck;
    private final ReadRecorder reads = new ReadRecorder();
    private final ObjectMemo<IngressTranslator.Translated> ingresses = new ObjectMemo<>(reads);
    private final ObjectMemo<SnapshotDraft.Part> ingressRoutes = new ObjectMemo<>(reads);
    private InputVersions previous = InputVersions.none();
    private TranslationOptions previousOptions;
    private TranslationReuse lastReuse = TranslationReuse.NONE;

    /** Checks IngressRoute rules with the proxy's own parser, as {@link Translator#Translator()}. */
    public IncrementalTranslator() {
        this(Translator.PROXY_RULES);
    }

    /** @param ruleCheck says why a Traefik rule is invalid, or returns empty when it parses */
    public IncrementalTranslator(Function<String, Optional<String>> ruleCheck) {
        this.ruleCheck = ruleCheck;
    }

    public Translation translate(ClusterView view) {
        TranslationOptions options = view.options();
        if (!options.equals(previousOptions)) {
            ingresses.clear();
            ingressRoutes.clear();
            previousOptions = options;
        }
        SnapshotDraft draft = new SnapshotDraft();
        SecretLookup secrets = new SecretLookup(view.secrets(), reads);
        Tls tls = new Tls(secrets);
        BackendResolver backends = new BackendResolver(view.services(), view.endpointSlices(), reads);
        Set<String> usable = new MiddlewareTranslator(secrets, options.allowCrossNamespace(), backends)
                .translate(view.middlewares(), draft);
        MiddlewareRefs refs = new MiddlewareRefs(usable, options.allowCrossNamespace(), reads);
        TlsOptionsTranslator tlsOptions = new TlsOptionsTranslator(view.tlsOptions(), secrets,
                options.operatorNamespace(), options.allowCrossNamespace(), draft, reads);
        tlsOptions.translateDefault();
        Translator.defaultCertificate(options, tls, draft);
        ServersTransports transports = new ServersTransports(view.serversTransports(), secrets, tls,
                options.allowCrossNamespace(), reads);
        ServiceTargets services = new ServiceTargets(options, backends, view.traefikServices(), transports, reads);
        services.translateAll(draft);

        InputVersions current = InputVersions.of(view, usable, services.outcomes());
        Set<String> changed = current.changedSince(previous);
        previous = current;
        ingresses.forget(changed);
        ingressRoutes.forget(changed);

        IngressTranslator ingressTranslator = new IngressTranslator(options, backends, tls, refs, tlsOptions,
                transports);
        List<Ingress> ours = ingressTranslator.ours(view.ingresses(), view.ingressClasses());
        ingresses.retain(ours.stream().map(ObjectRef::of).collect(Collectors.toSet()));
        ingressTranslator.resolve(ours, i -> ingresses.get(i, () -> ingressTranslator.translate(i)), draft);

        IngressRouteTranslator routes = new IngressRouteTranslator(options, services, tls, refs, ruleCheck,
                tlsOptions);
        Map<ObjectRef, IngressRoute> byRef = new TreeMap<>();
        view.ingressRoutes().forEach(ir -> byRef.put(ObjectRef.of(ir), ir));
        ingressRoutes.retain(byRef.keySet());
        byRef.values().forEach((IngressRoute ir) -> draft.add(ingressRoutes.get(ir, () -> {
                    SnapshotDraft own = new SnapshotDraft();
                    routes.translate(ir, own);
                    return own.part();
                })));
        Translator.translateTcp(view, options, backends, draft);
        lastReuse = ingresses.takeCounts().plus(ingressRoutes.takeCounts());
        return draft.finish();
    }

    /** How many route objects the last {@link #translate} reused and translated. */
    public TranslationReuse lastReuse() {
        return lastReuse;
    }
}
