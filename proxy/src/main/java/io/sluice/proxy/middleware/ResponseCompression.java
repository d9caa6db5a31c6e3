package io.sluice.proxy.middleware;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Locale;

/**
 * One exchange's compression decision, made by a {@link CompressMiddleware}: the encoding the client accepts,
 * and the rules that say whether a given response is worth compressing. Asked once, when the response head is
 * sent; it also adds {@code Vary: Accept-Encoding} to responses whose encoding depends on that header.
 */
public final class ResponseCompression {
    private final Rules rules;
    private final String encoding;

    /** @param encoding what the client accepts best, or null for none */
    ResponseCompression(Rules rules, String encoding) {
        this.rules = rules;
        this.encoding = encoding;
    }

    /**
     * Decides for one response head, adding {@code Vary} when the answer depends on {@code Accept-Encoding}.
     * Never compresses an already encoded body, a range ({@code 206} or {@code Content-Range}), a response
     * without a body (1xx, 204, 304; HEAD is left alone by the encoder), a body declared smaller than the minimum,
     * or an excluded (or not included) content type; gRPC is never compressed.
     *
     * @return the encoding to apply, or null to send the body as it is
     */
    public String encodingFor(int status, HttpHeaders headers) {
        if (status < 200 || status == 204 || status == 304 || status == 206
                || headers.contains(HttpHeaderNames.CONTENT_RANGE)) {
            return null;
        }
        String contentEncoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
        if (contentEncoding != null && !contentEncoding.trim().equalsIgnoreCase("identity")) {
            return null;
        }
        if (!rules.compressesType(headers.get(HttpHeaderNames.CONTENT_TYPE))) {
            return null;
        }
        addVary(headers);
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) < rules.minBytes) {
                    return null;
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return encoding;
    }

    private static void addVary(HttpHeaders headers) {
        for (String vary : headers.getAll(HttpHeaderNames.VARY)) {
            for (String token : vary.split(",")) {
                String t = token.trim();
                if (t.equals("*") || t.equalsIgnoreCase("Accept-Encoding")) {
                    return;
                }
            }
        }
        headers.add(HttpHeaderNames.VARY, "Accept-Encoding");
    }

    /** What a {@code compress} middleware compresses, shared by its exchanges. */
    static final class Rules {
        private final List<String> excluded;
        private final List<String> included;
        private final long minBytes;

        Rules(List<String> excluded, List<String> included, long minBytes) {
            this.excluded = normalized(excluded);
            this.included = normalized(included);
            this.minBytes = minBytes;
        }

        private static List<String> normalized(List<String> types) {
            return types.stream().map(Rules::mediaType).toList();
        }

        private static String mediaType(String contentType) {
            int semicolon = contentType.indexOf(';');
            return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                    .toLowerCase(Locale.ROOT);
        }

        boolean compressesType(String contentType) {
            String type = contentType == null ? "" : mediaType(contentType);
            if (type.startsWith("application/grpc")) {
                return false;
            }
            if (!included.isEmpty()) {
                return included.contains(type);
            }
            return !excluded.contains(type);
        }
    }
}
