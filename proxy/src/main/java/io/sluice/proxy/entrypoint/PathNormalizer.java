package io.sluice.proxy.entrypoint;

/**
 * Normalizes a request path before it is matched (RFC 3986 section 6.2.2): percent-encoded unreserved characters
 * are decoded (so {@code %2e%2e} is a dot segment), other escapes upper-cased, dot segments removed. Paths that
 * could escape a prefix match differently on the backend ({@code %2F}, {@code %5C}) are refused by default.
 */
public final class PathNormalizer {
    private final boolean rejectEncodedSlash;

    public PathNormalizer(boolean rejectEncodedSlash) {
        this.rejectEncodedSlash = rejectEncodedSlash;
    }

    /** The normalized path (no query), or null when the path must be refused with 400. */
    public String normalize(String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return null;
        }
        if (isAlreadyNormal(rawPath)) {
            return rawPath; // the common case: nothing to decode, no dot segment; no copy
        }
        StringBuilder decoded = new StringBuilder(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c != '%') {
                decoded.append(c);
                continue;
            }
            if (i + 2 >= rawPath.length()) {
                return null;
            }
            int hi = Character.digit(rawPath.charAt(i + 1), 16);
            int lo = Character.digit(rawPath.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            char value = (char) (hi * 16 + lo);
            if (rejectEncodedSlash && (value == '/' || value == '\\')) {
                return null;
            }
            if (isUnreserved(value)) {
                decoded.append(value);
            } else {
                decoded.append('%').append(Character.toUpperCase(rawPath.charAt(i + 1)))
                        .append(Character.toUpperCase(rawPath.charAt(i + 2)));
            }
            i += 2;
        }
        return removeDotSegments(decoded.toString());
    }

    /** No percent escape and no {@code .} or {@code ..} segment: normalizing would return the same text. */
    private static boolean isAlreadyNormal(String path) {
        int length = path.length();
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            if (c == '%') {
                return false;
            }
            if (c == '.' && path.charAt(i - 1) == '/') {
                int end = i + 1 < length && path.charAt(i + 1) == '.' ? i + 2 : i + 1;
                if (end == length || path.charAt(end) == '/') {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isUnreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static String removeDotSegments(String path) {
        String[] segments = path.split("/", -1);
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        for (int i = 1; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.equals(".")) {
                if (last) {
                    out.addLast("");
                }
            } else if (s.equals("..")) {
                out.pollLast();
                if (last) {
                    out.addLast("");
                }
            } else {
                out.addLast(s);
            }
        }
        return "/" + String.join("/", out);
    }
}
