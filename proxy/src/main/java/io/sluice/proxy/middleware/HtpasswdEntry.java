package io.sluice.proxy.middleware;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Md5Crypt;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * One parsed htpasswd line: a user and a password hash in one of the formats {@code htpasswd} writes that are
 * still worth accepting: bcrypt ({@code $2y$}, {@code $2a$}, {@code $2b$}), APR1-MD5 ({@code $apr1$}) and SHA-1
 * ({@code {SHA}}). Hashing is done by Bouncy Castle (bcrypt) and commons-codec (APR1); comparisons are
 * constant-time. {@link #toString()} and exception messages never show the hash.
 */
final class HtpasswdEntry {
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    private static final Pattern APR1 = Pattern.compile("\\$apr1\\$[./A-Za-z0-9]{1,8}\\$[./A-Za-z0-9]{22}");
    private static final Pattern SHA = Pattern.compile("\\{SHA\\}[A-Za-z0-9+/]{27}=");

    /** How a hash is checked; bcrypt is the slow one worth caching. */
    enum Format { BCRYPT, APR1, SHA1 }

    private final String user;
    private final String hash;
    private final Format format;

    private HtpasswdEntry(String user, String hash, Format format) {
        this.user = user;
        this.hash = hash;
        this.format = format;
    }

    /**
     * @param index the line's position, for messages
     * @throws IllegalArgumentException naming the line and user (never the hash) when it cannot be used
     */
    static HtpasswdEntry parse(int index, String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(
                    "basicAuth.users[" + index + "] is not of the form <user>:<encrypted password>");
        }
        String user = line.substring(0, colon);
        String hash = line.substring(colon + 1).trim();
        Format format;
        if (BCRYPT.matcher(hash).matches()) {
            format = Format.BCRYPT;
        } else if (APR1.matcher(hash).matches()) {
            format = Format.APR1;
        } else if (SHA.matcher(hash).matches()) {
            format = Format.SHA1;
        } else {
            throw new IllegalArgumentException("basicAuth.users[" + index + "] (user \"" + user
                    + "\"): unsupported or malformed encrypted password; use bcrypt ($2y$), $apr1$ or {SHA}");
        }
        return new HtpasswdEntry(user, hash, format);
    }

    String user() {
        return user;
    }

    Format format() {
        return format;
    }

    /** True if {@code password} matches this entry's hash. */
    boolean matches(String password) {
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        switch (format) {
            case BCRYPT:
                // Bouncy Castle compares the recomputed hash in constant time; it refuses passwords over 72 bytes
                return pw.length <= 72 && OpenBSDBCrypt.checkPassword(hash, pw);
            case APR1:
                return constantTimeEquals(Md5Crypt.apr1Crypt(pw, hash), hash);
            case SHA1:
                return constantTimeEquals("{SHA}" + Base64.getEncoder().encodeToString(sha1(pw)), hash);
            default:
                throw new IllegalStateException(format.name());
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha1(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return "HtpasswdEntry[user=" + user + ", format=" + format + "]";
    }
}
