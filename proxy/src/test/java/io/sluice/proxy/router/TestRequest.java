package io.sluice.proxy.router;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A plain {@link RequestView} for tests, built fluently. */
final class TestRequest implements RequestView {
    private String host = "example.com";
    private String path = "/";
    private String method = "GET";
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private InetAddress client;

    static TestRequest to(String host, String path) {
        TestRequest r = new TestRequest();
        r.host = host;
        r.path = path;
        return r;
    }

    TestRequest method(String m) {
        this.method = m;
        return this;
    }

    TestRequest header(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
        return this;
    }

    TestRequest query(String name, String value) {
        query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    TestRequest from(String ipLiteral) {
        try {
            this.client = InetAddress.getByName(ipLiteral);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
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
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }

    @Override
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public List<String> queryParameters(String name) {
        return query.getOrDefault(name, List.of());
    }

    @Override
    public InetAddress clientAddress() {
        return client;
    }

    @Override
    public String toString() {
        return method + " " + host + path + " headers=" + headers + " query=" + query + " from=" + client;
    }
}
