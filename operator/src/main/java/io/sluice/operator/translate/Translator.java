package io.sluice.operator.translate;

import io.sluice.proxy.router.RuleParser;
import io.sluice.proxy.router.RuleSyntaxException;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Function;

/**
 * The pure translation from a {@link ClusterView} to snapshot content plus per-object problems and statuses.
 * Deterministic: the same view gives equal output, whatever the order of its lists. A broken object is left out
 * and reported; every other object keeps serving.
 */
public final class Translator {
    private final Function<String, Optional<String>> ruleCheck;

    /** Checks a Traefik rule with the proxy's own {@link RuleParser}. */
    static final Function<String, Optional<String>> PROXY_RULES = Translator::parseRule;

    /** A translator that checks IngressRoute rules with the proxy's own {@link RuleParser}. */
    public Translator() {
        this(PROXY_RULES);
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

    /** An incremental translator with this one's rule check, to keep results between translations. */
    public IncrementalTranslator incremental() {
        return new IncrementalTranslator(ruleCheck);
    }

    /** Translates {@code view} from scratch: a fresh {@link IncrementalTranslator} with nothing cached. */
    public Translation translate(ClusterView view) {
        return new IncrementalTranslator(ruleCheck).translate(view);
    }

    /**
     * IngressRouteTCPs: TLS passthrough routes by server name ({@link IngressRouteTcpTranslator}). Few objects,
     * so {@link IncrementalTranslator} translates them in full on every call rather than memoizing them.
     */
    static void translateTcp(ClusterView view, TranslationOptions options, BackendResolver backends,
            SnapshotDraft draft) {
        IngressRouteTcpTranslator tcp = new IngressRouteTcpTranslator(options, backends);
        view.ingressRouteTcps().stream()
                .sorted(Comparator.comparing(ObjectRef::of))
                .forEach(irt -> tcp.translate(irt, draft));
    }

    /** The {@code --default-certificate} Secret; its problems are reported on the Secret itself. */
    static void defaultCertificate(TranslationOptions options, Tls tls, SnapshotDraft draft) {
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
