package io.sluice.e2e.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small HTTP/1.1 client on a raw socket. It exists because routing by host needs an arbitrary {@code Host}
 * header, which {@link java.net.http.HttpClient} refuses to set; one request per connection
 * ({@code Connection: close}), so every request sees the router as it is at that moment.
 */
public final class HttpGet {
    private final String address;
    private final int timeoutMillis;

    /** A client for servers listening on {@code address} (the e2e host address). */
    public HttpGet(String address, int timeoutMillis) {
        this.address = address;
        this.timeoutMillis = timeoutMillis;
    }

    /** GET {@code path} from the address, {@code port}, with this {@code Host}; never throws (status 0 on error). */
    public HttpReply get(int port, String host, String path, Map<String, String> headers) {
        return send(port, "GET", host, path, headers, new byte[0]);
    }

    /**
     * Any method with a body ({@code Content-Length} when not empty); never throws (status 0 on error). A gzip
     * response body is decompressed, as a browser would (the {@code Content-Encoding} header stays).
     */
    public HttpReply send(int port, String method, String host, String path, Map<String, String> headers,
            byte[] body) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                    .append(host).append("\r\nConnection: close\r\n");
            if (body.length > 0) {
                request.append("Content-Length: ").append(body.length).append("\r\n");
            }
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(body);
                out.flush();
            } catch (IOException refusedBody) {
                // the proxy may answer (413) and close before the whole body is sent: read what it said
            }
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException | RuntimeException e) {
            return HttpReply.failed(e.toString());
        }
    }

    public HttpReply get(int port, String host, String path) {
        return get(port, host, path, Map.of());
    }

    private static HttpReply parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new IOException("incomplete response (" + raw.length + " bytes)");
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length);
        if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            body = dechunk(new java.io.ByteArrayInputStream(body));
        }
        if (headers.getOrDefault("content-encoding", List.of()).contains("gzip")) {
            try (InputStream gzip = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                body = gzip.readAllBytes();
            }
        }
        return new HttpReply(Integer.parseInt(statusLine[1]), headers, new String(body, StandardCharsets.UTF_8),
                null);
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            StringBuilder size = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("truncated chunked body");
                }
                if (c != '\r') {
                    size.append((char) c);
                }
            }
            int length = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
            if (length == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(length));
            in.readNBytes(2);
        }
    }
}
