package io.sluice.proxy.entrypoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket HTTP/1.1 backend whose behaviour per request is scripted: answer, or close the connection without
 * a byte. Used to reproduce what ordinary servers do only by chance (closing a keep-alive connection just as the
 * proxy reuses it), or answer with raw bytes ({@link #raw}) no ordinary server would send. Reads request heads only
 * (tests send body-less requests, or bodies with Content-Length).
 */
final class ScriptedBackend implements AutoCloseable {
    /** What to do with the n-th request (from 1) on the c-th connection (from 1). */
    interface Script {
        /** @return the body to answer 200 with, or null to close the connection without answering */
        String answer(int connection, int request, String head);
    }

    /** A response written as given, byte for byte (ISO-8859-1), for responses no ordinary server sends. */
    record Raw(String wire, boolean thenClose) {
    }

    /** What to write for the n-th request (from 1) on the c-th connection (from 1); null closes without a byte. */
    interface RawScript {
        Raw answer(int connection, int request, String head);
    }

    private final ServerSocket socket;
    private final Script script;
    private final RawScript raw;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<String> heads = Collections.synchronizedList(new ArrayList<>());

    ScriptedBackend(Script script) throws IOException {
        this(script, null);
    }

    /** A backend that writes {@code raw}'s responses verbatim (and closes after those that say so). */
    static ScriptedBackend raw(RawScript raw) throws IOException {
        return new ScriptedBackend(null, raw);
    }

    private ScriptedBackend(Script script, RawScript raw) throws IOException {
        this.script = script;
        this.raw = raw;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "scripted-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    /** The most connections open at once, as this side saw them (a close is seen when the read ends). */
    int maxOpenConnections() {
        return maxOpen.get();
    }

    /** The most requests being answered at once. */
    int maxRequestsInFlight() {
        return maxInFlight.get();
    }

    List<String> heads() {
        return List.copyOf(heads);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                int number = connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s, number), "scripted-conn-" + number);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s, int connection) {
        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (int request = 1; ; request++) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                heads.add(head);
                int length = contentLength(head);
                in.readNBytes(length);
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                if (raw != null) {
                    Raw answer;
                    try {
                        answer = raw.answer(connection, request, head);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    if (answer == null) {
                        return;
                    }
                    out.write(answer.wire().getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (answer.thenClose()) {
                        return;
                    }
                    continue;
                }
                String body;
                try {
                    body = script.answer(connection, request, head);
                } finally {
                    inFlight.decrementAndGet();
                }
                if (body == null) {
                    return;
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            // the proxy closed the connection
        } finally {
            open.decrementAndGet();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                return Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        return 0;
    }

    /** A port on 127.0.0.1 where nothing listens (connections are refused). */
    static int refusingPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
