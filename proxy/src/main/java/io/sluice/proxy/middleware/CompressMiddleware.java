package io.sluice.proxy.middleware;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.snapshot.MiddlewareSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Traefik {@code compress}: picks, per request, the encoding the response will be compressed with (the
 * {@code Accept-Encoding} coding with the highest q-value among the configured ones, ties broken by the
 * configured order; {@code defaultEncoding} when the header is absent or only {@code *}), and hands it to the
 * data path as a {@link ResponseCompression}, which decides per response whether to compress at all.
 */
public final class CompressMiddleware implements HttpMiddleware {
    /** Traefik's default minimum body size worth compressing. */
    public static final long DEFAULT_MIN_BYTES = 1024;

    private final List<String> encodings;
    private final String defaultEncoding;
    private final ResponseCompression.Rules rules;
    /** One immutable decision per possible encoding (index 0: none), shared by every exchange. */
    private final ResponseCompression[] decisions;
    /** The last single Accept-Encoding value seen and its choice: clients send the same few values again. */
    private volatile LastChoice last = new LastChoice("", null);

    CompressMiddleware(List<String> encodings, String defaultEncoding, ResponseCompression.Rules rules) {
        this.encodings = List.copyOf(encodings);
        this.defaultEncoding = defaultEncoding;
        this.rules = rules;
        this.decisions = new ResponseCompression[this.encodings.size() + 1];
        decisions[0] = new ResponseCompression(rules, null);
        for (int i = 0; i < this.encodings.size(); i++) {
            decisions[i + 1] = new ResponseCompression(rules, this.encodings.get(i));
        }
    }

    /**
     * Applies Traefik's defaults (all known encodings, 1024 bytes) and drops encodings this platform cannot
     * produce.
     *
     * @throws IllegalArgumentException for an unknown encoding, both content-type lists set, or a negative size
     */
    static CompressMiddleware of(MiddlewareSpec.Compress spec, ContentEncodings platform) {
        List<String> wanted = spec.encodings().isEmpty() ? ContentEncodings.KNOWN : spec.encodings();
        List<String> usable = new ArrayList<>();
        for (String encoding : wanted) {
            String name = encoding.trim().toLowerCase(Locale.ROOT);
            if (!ContentEncodings.KNOWN.contains(name)) {
                throw new IllegalArgumentException("compress.encodings: unknown encoding \"" + encoding
                        + "\", expected one of " + ContentEncodings.KNOWN);
            }
            if (platform.isAvailable(name) && !usable.contains(name)) {
                usable.add(name);
            }
        }
        String fallback = spec.defaultEncoding() == null || spec.defaultEncoding().isBlank() ? null
                : spec.defaultEncoding().trim().toLowerCase(Locale.ROOT);
        if (fallback != null && !ContentEncodings.KNOWN.contains(fallback)) {
            throw new IllegalArgumentException("compress.defaultEncoding: unknown encoding \""
                    + spec.defaultEncoding() + "\"");
        }
        if (!spec.excludedContentTypes().isEmpty() && !spec.includedContentTypes().isEmpty()) {
            throw new IllegalArgumentException("compress: set excludedContentTypes or includedContentTypes, not both");
        }
        if (spec.minResponseBodyBytes() < 0) {
            throw new IllegalArgumentException("compress.minResponseBodyBytes must not be negative");
        }
        long min = spec.minResponseBodyBytes() == 0 ? DEFAULT_MIN_BYTES : spec.minResponseBodyBytes();
        return new CompressMiddleware(usable, fallback != null && usable.contains(fallback) ? fallback : null,
                new ResponseCompression.Rules(spec.excludedContentTypes(), spec.includedContentTypes(), min));
    }

    @Override
    public Answer onRequest(ForwardedRequest request) {
        request.compressResponse(decision(request.headers().getAll(HttpHeaderNames.ACCEPT_ENCODING)));
        return null;
    }

    private ResponseCompression decision(List<String> acceptEncoding) {
        if (acceptEncoding.size() != 1) {
            return decisionFor(choose(acceptEncoding));
        }
        String value = acceptEncoding.get(0);
        LastChoice seen = last;
        if (!seen.acceptEncoding.equals(value)) {
            seen = new LastChoice(value, decisionFor(choose(acceptEncoding)));
            last = seen;
        }
        return seen.decision;
    }

    private ResponseCompression decisionFor(String encoding) {
        if (encoding == null) {
            return decisions[0];
        }
        int index = encodings.indexOf(encoding);
        return index < 0 ? new ResponseCompression(rules, encoding) : decisions[index + 1];
    }

    /** An Accept-Encoding value and the decision it leads to. */
    private record LastChoice(String acceptEncoding, ResponseCompression decision) {
    }

    /** @return the encoding to use, or null for none */
    String choose(List<String> acceptEncoding) {
        if (acceptEncoding.isEmpty()) {
            return defaultEncoding;
        }
        Map<String, Double> q = new HashMap<>();
        for (String header : acceptEncoding) {
            for (String element : header.split(",")) {
                String[] parts = element.split(";");
                String coding = parts[0].trim().toLowerCase(Locale.ROOT);
                if (coding.isEmpty()) {
                    continue;
                }
                double weight = 1;
                for (int i = 1; i < parts.length; i++) {
                    String param = parts[i].trim();
                    if (param.startsWith("q=") || param.startsWith("Q=")) {
                        try {
                            weight = Double.parseDouble(param.substring(2).trim());
                        } catch (NumberFormatException e) {
                            weight = 0;
                        }
                    }
                }
                q.merge(coding, weight, Math::max);
            }
        }
        Double wildcard = q.get("*");
        if (q.size() == 1 && wildcard != null && wildcard > 0 && defaultEncoding != null) {
            return defaultEncoding;
        }
        String best = null;
        double bestWeight = 0;
        for (String encoding : encodings) {
            Double weight = q.get(encoding);
            double w = weight != null ? weight : wildcard != null ? wildcard : 0;
            if (w > bestWeight) {
                best = encoding;
                bestWeight = w;
            }
        }
        return best;
    }
}
