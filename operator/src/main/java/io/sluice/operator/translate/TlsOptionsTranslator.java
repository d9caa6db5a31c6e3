package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.Secret;
import io.sluice.operator.crd.TLSOption;
import io.sluice.operator.crd.TLSOptionSpec;
import io.sluice.snapshot.TlsOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns Traefik-style {@link TLSOption}s into snapshot {@link TlsOptions}, when a router names one and for the
 * {@code default} one. Versions and client-certificate modes take Traefik's names; cipher suites take IANA names
 * (Go's short ChaCha20 names too) and are checked against the suites the proxy knows; CA bundles come from Secrets
 * in the TLSOption's namespace. As in Go, and so in Traefik, {@code cipherSuites} configures TLS 1.2 only: the
 * TLS 1.3 suites stay enabled unless some are listed. A reference that cannot be served returns null with the
 * reason, and its routers are left out rather than served with weaker settings.
 */
final class TlsOptionsTranslator {
    /** Name of the TLSOption applying to every router without its own. */
    static final String DEFAULT_NAME = "default";

    private static final List<String> TLS13_SUITES =
            List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
    private static final Set<String> TLS12_SUITES = Set.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA");
    /** Go's names without the hash, as Traefik users write them. */
    private static final Map<String, String> GO_ALIASES = Map.of(
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    private static final Map<String, TlsOptions.ClientAuth> CLIENT_AUTH = Map.of(
            "NoClientCert", TlsOptions.ClientAuth.NONE,
            "RequestClientCert", TlsOptions.ClientAuth.REQUEST,
            "RequireAnyClientCert", TlsOptions.ClientAuth.REQUIRE_ANY,
            "VerifyClientCertIfGiven", TlsOptions.ClientAuth.VERIFY_IF_GIVEN,
            "RequireAndVerifyClientCert", TlsOptions.ClientAuth.REQUIRE_AND_VERIFY);

    private final Map<String, TLSOption> byKey = new HashMap<>();
    private final SecretLookup secrets;
    private final String defaultNamespace;
    private final boolean allowCrossNamespace;
    private final SnapshotDraft draft;
    private final ReadRecorder reads;

    TlsOptionsTranslator(List<TLSOption> options, SecretLookup secrets, String defaultNamespace,
            boolean allowCrossNamespace, SnapshotDraft draft) {
        this(options, secrets, defaultNamespace, allowCrossNamespace, draft, new ReadRecorder());
    }

    /**
     * @param defaultNamespace where the {@code default} TLSOption lives (the operator's namespace); null takes a
     *                         {@code default} TLSOption from any namespace when there is exactly one
     * @param draft            where the {@code default} TLSOption goes
     * @param reads            told when a reference is resolved (as {@link InputVersions#ALL_TLS_OPTIONS})
     */
    TlsOptionsTranslator(List<TLSOption> options, SecretLookup secrets, String defaultNamespace,
            boolean allowCrossNamespace, SnapshotDraft draft, ReadRecorder reads) {
        this.draft = draft;
        this.reads = reads;
        options.forEach(o -> byKey.put(o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(), o));
        this.secrets = secrets;
        this.defaultNamespace = defaultNamespace;
        this.allowCrossNamespace = allowCrossNamespace;
    }

    /** Adds the {@code default} TLSOption to the draft, reporting its problems on itself. */
    void translateDefault() {
        TLSOption option = defaultOption();
        if (option == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        TlsOptions translated = translate(option, TlsOptions.DEFAULT_ID, problems);
        ObjectRef ref = ObjectRef.of(option);
        problems.forEach(p -> draft.problem(ref, "spec", p + "; the proxy's built-in TLS settings apply"));
        if (translated != null) {
            draft.tlsOptions(translated);
        }
    }

    private TLSOption defaultOption() {
        if (defaultNamespace != null) {
            return byKey.get(defaultNamespace + "/" + DEFAULT_NAME);
        }
        List<TLSOption> defaults = byKey.values().stream()
                .filter(o -> o.getMetadata().getName().equals(DEFAULT_NAME)).toList();
        return defaults.size() == 1 ? defaults.get(0) : null;
    }

    /**
     * The snapshot id of the TLSOption {@code namespace/name}, added to {@code into}; null when it cannot be
     * served, with the reasons added to {@code problems}.
     */
    String resolve(String fromNamespace, String namespace, String name, List<String> problems, SnapshotDraft into) {
        reads.read(InputVersions.ALL_TLS_OPTIONS);
        String ns = namespace == null || namespace.isEmpty() ? fromNamespace : namespace;
        TLSOption option = byKey.get(ns + "/" + name);
        if (!ns.equals(fromNamespace) && !allowCrossNamespace) {
            problems.add("TLSOption " + ns + "/" + name + " is in another namespace and cross-namespace references"
                    + " are not allowed");
            return null;
        }
        if (option == null) {
            problems.add("TLSOption " + ns + "/" + name + " not found");
            return null;
        }
        if (option == defaultOption()) {
            return TlsOptions.DEFAULT_ID;
        }
        String id = ns + "/" + name;
        TlsOptions translated = translate(option, id, problems);
        if (translated == null) {
            return null;
        }
        into.tlsOptions(translated);
        return id;
    }

    /**
     * The {@code sluice.io/router.tls.options} annotation: {@code name} (the Ingress's namespace),
     * {@code namespace/name}, or Traefik's {@code namespace-name} with or without {@code @kubernetescrd}.
     */
    String resolveAnnotation(String fromNamespace, String value, List<String> problems, SnapshotDraft into) {
        reads.read(InputVersions.ALL_TLS_OPTIONS);
        String v = value.strip();
        if (v.endsWith("@kubernetescrd")) {
            v = v.substring(0, v.length() - "@kubernetescrd".length());
        }
        int slash = v.indexOf('/');
        if (slash > 0) {
            return resolve(fromNamespace, v.substring(0, slash), v.substring(slash + 1), problems, into);
        }
        if (byKey.containsKey(fromNamespace + "/" + v)) {
            return resolve(fromNamespace, fromNamespace, v, problems, into);
        }
        for (String key : byKey.keySet().stream().sorted().toList()) {
            if (key.replaceFirst("/", "-").equals(v)) {
                int s = key.indexOf('/');
                return resolve(fromNamespace, key.substring(0, s), key.substring(s + 1), problems, into);
            }
        }
        problems.add("TLSOption \"" + value.strip() + "\" not found");
        return null;
    }

    private TlsOptions translate(TLSOption option, String id, List<String> problems) {
        String where = "TLSOption " + ObjectRef.of(option).namespace() + "/" + option.getMetadata().getName() + ": ";
        TLSOptionSpec spec = option.getSpec();
        if (spec == null) {
            spec = new TLSOptionSpec(null, null, null, null, null, null);
        }
        int before = problems.size();
        String min = version(spec.minVersion(), "minVersion", where, problems);
        String max = version(spec.maxVersion(), "maxVersion", where, problems);
        if ("TLSv1.3".equals(min) && "TLSv1.2".equals(max)) {
            problems.add(where + "minVersion is above maxVersion");
        }
        List<String> suites = cipherSuites(spec.cipherSuites(), where, problems);
        TlsOptions.ClientAuth mode = TlsOptions.ClientAuth.NONE;
        String caPem = null;
        if (spec.clientAuth() != null) {
            String type = spec.clientAuth().clientAuthType();
            if (type != null) {
                mode = CLIENT_AUTH.get(type);
                if (mode == null) {
                    problems.add(where + "unknown clientAuthType \"" + type + "\"");
                    mode = TlsOptions.ClientAuth.NONE;
                }
            }
            caPem = caBundle(ObjectRef.of(option).namespace(), spec.clientAuth().secretNames(), where, problems);
        }
        if (mode.verifies() && caPem == null && problems.size() == before) {
            problems.add(where + "clientAuthType " + spec.clientAuth().clientAuthType()
                    + " needs clientAuth.secretNames with a CA bundle");
        }
        if (problems.size() > before) {
            return null;
        }
        return new TlsOptions(id, min, max, suites, mode, mode.verifies() ? caPem : null,
                Boolean.TRUE.equals(spec.sniStrict()), spec.alpnProtocols());
    }

    private static String version(String value, String field, String where, List<String> problems) {
        if (value == null) {
            return null;
        }
        switch (value) {
            case "VersionTLS12":
                return "TLSv1.2";
            case "VersionTLS13":
                return "TLSv1.3";
            default:
                problems.add(where + field + " \"" + value + "\" is not supported (VersionTLS12 or VersionTLS13)");
                return null;
        }
    }

    private static List<String> cipherSuites(List<String> names, String where, List<String> problems) {
        if (names == null || names.isEmpty()) {
            return List.of();
        }
        Set<String> suites = new LinkedHashSet<>();
        for (String name : names) {
            String suite = GO_ALIASES.getOrDefault(name, name);
            if (TLS12_SUITES.contains(suite) || TLS13_SUITES.contains(suite)) {
                suites.add(suite);
            } else {
                problems.add(where + "unknown cipher suite \"" + name + "\"");
            }
        }
        if (suites.stream().noneMatch(TLS13_SUITES::contains)) {
            suites.addAll(TLS13_SUITES);
        }
        return List.copyOf(suites);
    }

    private String caBundle(String namespace, List<String> secretNames, String where, List<String> problems) {
        if (secretNames == null || secretNames.isEmpty()) {
            return null;
        }
        StringBuilder bundle = new StringBuilder();
        for (String name : secretNames) {
            Secret secret = secrets.find(namespace, name);
            if (secret == null) {
                problems.add(where + "CA Secret " + namespace + "/" + name + " not found");
                continue;
            }
            String pem = secrets.value(secret, "ca.crt");
            if (pem == null) {
                pem = secrets.value(secret, "tls.ca");
            }
            if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
                problems.add(where + "CA Secret " + namespace + "/" + name
                        + " has no PEM certificate under ca.crt or tls.ca");
                continue;
            }
            bundle.append(pem.endsWith("\n") ? pem : pem + "\n");
        }
        return bundle.length() == 0 ? null : bundle.toString();
    }
}
