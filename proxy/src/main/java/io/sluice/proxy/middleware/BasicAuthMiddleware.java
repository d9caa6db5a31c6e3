package io.sluice.proxy.middleware;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Traefik {@code basicAuth}: answers 401 with a {@code WWW-Authenticate} challenge unless the request carries
 * {@code Authorization: Basic} credentials matching one of the htpasswd entries. On success it can strip the
 * {@code Authorization} header and send the user name upstream in {@code headerField} (replacing whatever the
 * client sent there, so the header cannot be forged).
 *
 * <p>bcrypt is slow by design and runs on the event loop, so a successful bcrypt check is remembered as a salted
 * SHA-256 of the password per user (bounded, per middleware instance, so per snapshot): keep-alive clients that
 * send the same credentials on every request pay bcrypt once. A changed or wrong password misses the cache and
 * is checked against the real hash.
 */
public final class BasicAuthMiddleware implements HttpMiddleware {
    /** Default realm, as a user sees it in the browser's login prompt. */
    public static final String DEFAULT_REALM = "sluice";
    private static final int MAX_CACHED = 1024;

    private final Map<String, HtpasswdEntry> users;
    private final Map<String, String> challenge;
    private final boolean removeHeader;
    private final String headerField;
    private final byte[] cacheSalt = new byte[16];
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

    /**
     * @param lines       htpasswd lines {@code user:hash}; blank lines and {@code #} comments are skipped
     * @param realm       null or empty means {@link #DEFAULT_REALM}
     * @param headerField null or empty sends no user header
     * @throws IllegalArgumentException when there is no user, a line is malformed, a hash format is unknown or a
     *                                  user appears twice (messages never contain hashes)
     */
    public BasicAuthMiddleware(List<String> lines, String realm, boolean removeHeader, String headerField) {
        Map<String, HtpasswdEntry> parsed = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            HtpasswdEntry entry = HtpasswdEntry.parse(i, line);
            if (parsed.putIfAbsent(entry.user(), entry) != null) {
                throw new IllegalArgumentException("basicAuth.users: user \"" + entry.user() + "\" appears twice");
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("basicAuth.users must contain at least one user:hash line");
        }
        this.users = Map.copyOf(parsed);
        String shownRealm = realm == null || realm.isEmpty() ? DEFAULT_REALM : realm;
        this.challenge = Map.of("WWW-Authenticate",
                "Basic realm=\"" + shownRealm.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        this.removeHeader = removeHeader;
        this.headerField = headerField == null || headerField.isEmpty() ? null : headerField;
        new SecureRandom().nextBytes(cacheSalt);
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        String user = authenticatedUser(request.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (user == null) {
            return new Answer(401, challenge, "Unauthorized");
        }
        if (removeHeader) {
            request.headers().remove(HttpHeaderNames.AUTHORIZATION);
        }
        if (headerField != null) {
            request.headers().set(headerField, user);
        }
        return null;
    }

    /** @return the user name when the credentials are valid, else null */
    private String authenticatedUser(String authorization) {
        if (authorization == null || authorization.length() < 6
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        HtpasswdEntry entry = users.get(user);
        if (entry == null) {
            return null;
        }
        if (entry.format() != HtpasswdEntry.Format.BCRYPT) {
            return entry.matches(password) ? user : null;
        }
        byte[] fingerprint = fingerprint(password);
        byte[] known = verified.get(user);
        if (known != null && MessageDigest.isEqual(known, fingerprint)) {
            return user;
        }
        if (!entry.matches(password)) {
            return null;
        }
        if (verified.size() >= MAX_CACHED) {
            verified.clear();
        }
        verified.put(user, fingerprint);
        return user;
    }

    private byte[] fingerprint(String password) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(cacheSalt);
            return sha256.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Number of remembered bcrypt verifications (for tests). */
    int cachedVerifications() {
        return verified.size();
    }
}
