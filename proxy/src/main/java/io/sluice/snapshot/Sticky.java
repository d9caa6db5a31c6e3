package io.sluice.snapshot;

import java.util.Objects;

/**
 * Sticky sessions by cookie.
 *
 * @param sameSite {@code none}, {@code lax}, {@code strict}, or null to omit the attribute
 * @param maxAge   seconds; null or 0 for a session cookie, negative to expire it at once
 * @param path     the cookie's Path; null for {@code /}
 */
public record Sticky(String cookieName, boolean secure, boolean httpOnly, String sameSite, Integer maxAge,
        String path) {
    public Sticky {
        Objects.requireNonNull(cookieName, "cookieName");
    }

    /** A cookie with Path {@code /}. */
    public Sticky(String cookieName, boolean secure, boolean httpOnly, String sameSite, Integer maxAge) {
        this(cookieName, secure, httpOnly, sameSite, maxAge, null);
    }
}
