package io.sluice.snapshot;

import java.util.Objects;

/** A named middleware; routers refer to it by {@code id} (for example {@code default/strip-api}). */
public record Middleware(String id, MiddlewareSpec spec) {
    public Middleware {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(spec, "spec");
    }
}
