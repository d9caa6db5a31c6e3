package io.sluice.snapshot;

import java.util.Objects;

/**
 * Sticky sessions by cookie.
 *
 * @param sameSite {@code none}, {@code lax}, {@code strict}, or null to omit the attribute
 * @param maxAge   seconds; null for a session cookie
 */
public record Sticky(String cookieName, boolean secure, boolean httpOnly, String sameSite, Integer maxAge) {
    public Sticky {
        Objects.requireNonNull(cookieName, "cookieName");
    }
}
