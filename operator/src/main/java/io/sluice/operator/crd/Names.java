package io.sluice.operator.crd;

/** Patterns shared by the schema annotations and the translator's own checks. */
public final class Names {
    /** A DNS-1123 label: Kubernetes object names in a namespace (Services, Middlewares, Secrets). */
    public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    /** A DNS-1123 subdomain (Service and Secret names may contain dots). */
    public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** An entrypoint name as Traefik spells them ({@code web}, {@code websecure}). */
    public static final String ENTRYPOINT = "^[A-Za-z0-9][A-Za-z0-9._-]*$";
    /** An HTTP cookie name (an RFC 9110 token). */
    public static final String COOKIE_NAME = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

    private Names() {
    }
}
