package io.sluice.proxy.config;

/** A configuration problem; the message names the flag or key and what was wrong, and the process exits 2. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
