package io.sluice.proxy.router;

import java.util.List;

/** Routers that could not be compiled; {@link #problems()} names each ({@code router r1: ...}). */
public final class RouterCompileException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public RouterCompileException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
