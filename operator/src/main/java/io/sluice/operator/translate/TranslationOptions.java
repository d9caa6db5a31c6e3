package io.sluice.operator.translate;

import java.util.List;
import java.util.Objects;

/**
 * How the operator is configured.
 *
 * @param ingressClassName    the class name in the legacy {@code kubernetes.io/ingress.class} annotation
 * @param controllerName      the {@code spec.controller} of IngressClasses that are ours
 * @param allowCrossNamespace whether a reference may name an object in another namespace
 * @param defaultEntryPoints  entrypoints of routers that name none; empty means every entrypoint
 * @param defaultCertificate  {@code namespace/name} of a {@code kubernetes.io/tls} Secret served for names no
 *                            other certificate covers; null leaves the proxy's own default
 * @param operatorNamespace   where the {@code default} TLSOption lives; null accepts a single {@code default}
 *                            TLSOption in any namespace
 */
public record TranslationOptions(
        String ingressClassName, String controllerName, boolean allowCrossNamespace,
        List<String> defaultEntryPoints, String defaultCertificate, String operatorNamespace) {
    public static final TranslationOptions DEFAULTS =
            new TranslationOptions("sluice", "sluice.io/ingress-controller", false, List.of());

    public TranslationOptions {
        Objects.requireNonNull(ingressClassName, "ingressClassName");
        Objects.requireNonNull(controllerName, "controllerName");
        defaultEntryPoints = List.copyOf(defaultEntryPoints);
    }

    /** Options without a default certificate, taking a {@code default} TLSOption from any namespace. */
    public TranslationOptions(String ingressClassName, String controllerName, boolean allowCrossNamespace,
            List<String> defaultEntryPoints) {
        this(ingressClassName, controllerName, allowCrossNamespace, defaultEntryPoints, null, null);
    }
}
