package io.sluice.snapshot;

import java.util.Locale;
import java.util.regex.Pattern;

/** Host name rules shared by the validator, the router and the operator. */
public final class HostNames {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private HostNames() {
    }

    /** Lower-cases a host and drops a trailing dot and any {@code :port}; IPv6 literals keep their brackets. */
    public static String normalize(String host) {
        if (host == null) {
            return null;
        }
        String h = host;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end > 0 ? h.substring(0, end + 1) : h;
        } else {
            int colon = h.indexOf(':');
            if (colon >= 0) {
                h = h.substring(0, colon);
            }
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.toLowerCase(Locale.ROOT);
    }

    /** A DNS name, optionally with a leading {@code *.} wildcard label, as Kubernetes Ingress allows. */
    public static boolean isValidPattern(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("*.")) {
            h = h.substring(2);
        }
        if (h.isEmpty() || h.length() > 253) {
            return false;
        }
        for (String label : h.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }
}
