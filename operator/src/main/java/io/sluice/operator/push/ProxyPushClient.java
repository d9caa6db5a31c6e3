package io.sluice.operator.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.snapshot.SnapshotVersion;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;

/**
 * Speaks the proxy push protocol ({@code PUT /snapshot}, {@code GET /snapshot/version}) to one proxy at a time,
 * asynchronously, and turns every answer, including failures, into a {@link PushOutcome} or
 * {@link VersionProbe}: the returned futures never complete exceptionally.
 */
public final class ProxyPushClient {
    static final String SNAPSHOT_PATH = "/snapshot";
    static final String VERSION_PATH = "/snapshot/version";
    private static final int MAX_ERRORS_KEPT = 20;

    private final HttpClient http;
    private final String scheme;
    private final BearerTokenFile token;
    private final Duration requestTimeout;
    private final ObjectMapper json = new ObjectMapper();

    private ProxyPushClient(HttpClient http, String scheme, BearerTokenFile token, Duration requestTimeout) {
        this.http = http;
        this.scheme = scheme;
        this.token = token;
        this.requestTimeout = requestTimeout;
    }

    /** Plain HTTP to the proxies. */
    public static ProxyPushClient plain(BearerTokenFile token, Duration connectTimeout, Duration requestTimeout) {
        return new ProxyPushClient(builder(connectTimeout).build(), "http", token, requestTimeout);
    }

    /** HTTPS to the proxies, trusting what {@code tls} trusts (see {@link PushTrust}). */
    public static ProxyPushClient tls(BearerTokenFile token, Duration connectTimeout, Duration requestTimeout,
            SSLContext tls) {
        return new ProxyPushClient(builder(connectTimeout).sslContext(tls).build(), "https", token, requestTimeout);
    }

    private static HttpClient.Builder builder(Duration connectTimeout) {
        // HTTP/1.1: no h2c upgrade dance with the proxy's admin server, one short request at a time
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
    }

    public CompletableFuture<PushOutcome> push(ProxyAddress proxy, byte[] snapshotJson) {
        Objects.requireNonNull(snapshotJson, "snapshotJson");
        HttpRequest request;
        try {
            request = authorized(proxy, SNAPSHOT_PATH).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(snapshotJson)).build();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(new PushOutcome.Failed(e.getMessage()));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(this::pushOutcome)
                .exceptionally(e -> new PushOutcome.Failed(describe(e)));
    }

    public CompletableFuture<VersionProbe> currentVersion(ProxyAddress proxy) {
        HttpRequest request;
        try {
            request = authorized(proxy, VERSION_PATH).GET().build();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(new VersionProbe.Unreachable(e.getMessage()));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(this::versionProbe)
                .exceptionally(e -> new VersionProbe.Unreachable(describe(e)));
    }

    private HttpRequest.Builder authorized(ProxyAddress proxy, String path) throws IOException {
        return HttpRequest.newBuilder(proxy.uri(scheme, path)).timeout(requestTimeout)
                .header("Authorization", "Bearer " + token.read());
    }

    private PushOutcome pushOutcome(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        try {
            switch (status) {
                case 200:
                    return new PushOutcome.Applied(version(response.body()));
                case 409:
                    return new PushOutcome.Stale(errors(response.body()));
                case 422:
                    return new PushOutcome.Rejected(errors(response.body()));
                default:
                    return new PushOutcome.Failed(unexpected(status));
            }
        } catch (IOException | IllegalArgumentException e) {
            return new PushOutcome.Failed("unreadable answer to PUT " + SNAPSHOT_PATH + " (" + status + "): "
                    + e.getMessage());
        }
    }

    private VersionProbe versionProbe(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status == 404) {
            return new VersionProbe.HoldsNothing();
        }
        if (status != 200) {
            return new VersionProbe.Unreachable(unexpected(status));
        }
        try {
            return new VersionProbe.Holds(version(response.body()));
        } catch (IOException | IllegalArgumentException e) {
            return new VersionProbe.Unreachable("unreadable answer to GET " + VERSION_PATH + ": " + e.getMessage());
        }
    }

    private static String unexpected(int status) {
        return status == 401 ? "proxy refused the push token (401)" : "unexpected HTTP status " + status;
    }

    private SnapshotVersion version(byte[] body) throws IOException {
        JsonNode version = json.readTree(body).path("version");
        if (!version.isTextual()) {
            throw new IllegalArgumentException("no \"version\" string");
        }
        return parseVersion(version.asText());
    }

    /** Parses the protocol's {@code epoch.sequence} form. */
    static SnapshotVersion parseVersion(String text) {
        int dot = text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1) {
            throw new IllegalArgumentException("bad version '" + text + "'");
        }
        try {
            return new SnapshotVersion(Long.parseLong(text.substring(0, dot)), Long.parseLong(text.substring(dot + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad version '" + text + "'", e);
        }
    }

    private List<String> errors(byte[] body) throws IOException {
        List<String> errors = new ArrayList<>();
        for (JsonNode error : json.readTree(body).path("errors")) {
            if (errors.size() == MAX_ERRORS_KEPT) {
                break;
            }
            errors.add(error.isTextual() ? error.asText() : error.toString());
        }
        return errors;
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof HttpTimeoutException) {
            return "timed out: " + cause.getMessage();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
