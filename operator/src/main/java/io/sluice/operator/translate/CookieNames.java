package io.sluice.operator.translate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Derives a stable sticky-session cookie name from a service id when the user names none. */
final class CookieNames {
    private CookieNames() {
    }

    static String derive(String serviceId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(serviceId.getBytes(StandardCharsets.UTF_8));
            return "sluice_" + HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
