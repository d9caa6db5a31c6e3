package io.sluice.proxy.entrypoint;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sluice.proxy.router.RequestView;
import io.sluice.snapshot.HostNames;
import java.net.InetAddress;
import java.util.List;

/** What the router sees of one decoded, normalized request head. */
final class HttpRequestView implements RequestView {
    private final String host;
    private final String path;
    private final String method;
    private final HttpHeaders headers;
    private final String query;
    private final InetAddress client;
    private QueryStringDecoder decodedQuery;

    HttpRequestView(String path, String query, String method, HttpHeaders headers, InetAddress client) {
        String rawHost = headers.get("Host");
        this.host = rawHost == null ? "" : HostNames.normalize(rawHost);
        this.path = path;
        this.method = method;
        this.headers = headers;
        this.query = query;
        this.client = client;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public List<String> headers(String name) {
        return headers.getAll(name);
    }

    @Override
    public List<String> queryParameters(String name) {
        if (query == null) {
            return List.of();
        }
        if (decodedQuery == null) {
            decodedQuery = new QueryStringDecoder(query, false);
        }
        List<String> values = decodedQuery.parameters().get(name);
        return values == null ? List.of() : values;
    }

    @Override
    public InetAddress clientAddress() {
        return client;
    }
}
