package io.sluice.proxy.balancer;

import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.sluice.snapshot.Sticky;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A service's sticky-session cookie: its name, attributes, and the value that names one of the service's
 * candidates. The value is a truncated SHA-256 of what it stands for (an endpoint's {@code address:port}, a
 * child service's id), never a position: it stays valid across snapshots for as long as that candidate is
 * listed, and does not tell clients the backend's address.
 */
public final class StickyCookie {
    private final Sticky spec;

    public StickyCookie(Sticky spec) {
        this.spec = spec;
    }

    public String name() {
        return spec.cookieName();
    }

    /** The cookie value that names {@code key} (an endpoint authority or a service id). */
    public static String valueFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("sluice-sticky:" + key).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    /** The {@code Set-Cookie} header value that makes the client stick to the candidate named {@code value}. */
    public String setCookie(String value) {
        DefaultCookie cookie = new DefaultCookie(spec.cookieName(), value);
        cookie.setPath(spec.path() == null ? "/" : spec.path());
        cookie.setSecure(spec.secure());
        cookie.setHttpOnly(spec.httpOnly());
        if (spec.maxAge() != null && spec.maxAge() != 0) {
            cookie.setMaxAge(Math.max(0, spec.maxAge()));
        }
        if (spec.sameSite() != null) {
            switch (spec.sameSite().toLowerCase(Locale.ROOT)) {
                case "none" -> cookie.setSameSite(CookieHeaderNames.SameSite.None);
                case "lax" -> cookie.setSameSite(CookieHeaderNames.SameSite.Lax);
                case "strict" -> cookie.setSameSite(CookieHeaderNames.SameSite.Strict);
                default -> throw new IllegalArgumentException("sameSite must be none, lax or strict");
            }
        }
        return ServerCookieEncoder.STRICT.encode(cookie);
    }
}
