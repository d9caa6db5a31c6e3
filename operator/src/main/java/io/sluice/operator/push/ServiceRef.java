package io.sluice.operator.push;

import java.util.Objects;

/** A Service named {@code namespace/name}, as given on the command line ({@code --proxy-admin-service}). */
public record ServiceRef(String namespace, String name) {

    public ServiceRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (namespace.isBlank() || name.isBlank()) {
            throw new IllegalArgumentException("service namespace and name must not be blank");
        }
    }

    /** Parses {@code namespace/name}. */
    public static ServiceRef parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("expected namespace/name, got '" + text + "'");
        }
        return new ServiceRef(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
