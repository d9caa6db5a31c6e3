package io.sluice.proxy.testing;

import java.io.IOException;
import java.io.OutputStream;

/** A slowloris client: writes a request head one byte at a time, forever incomplete, until the proxy cuts it off. */
public final class TricklingClient {
    private TricklingClient() {
    }

    /**
     * Writes {@code head}, then filler bytes, one byte every {@code pauseMillis}, {@code bytes} in all; returns early
     * (without an exception) once the proxy has closed the connection.
     */
    public static void trickle(OutputStream out, String head, int bytes, long pauseMillis) throws InterruptedException {
        try {
            for (int i = 0; i < bytes; i++) {
                out.write(head.length() > i ? head.charAt(i) : 'a');
                out.flush();
                Thread.sleep(pauseMillis);
            }
        } catch (IOException closedByProxy) {
            // expected once the proxy has closed the connection
        }
    }
}
