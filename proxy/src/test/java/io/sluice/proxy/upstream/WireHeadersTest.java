package io.sluice.proxy.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * WireHeaders behaves as Netty's DefaultHttpHeaders holding the same fields would, through every operation the
 * proxy uses on a response head, and writes the fields a client would get from Netty's encoder.
 */
class WireHeadersTest {
    private static final String HEAD = "Server: nginx/1.22.1\r\n"
            + "Date: Sat, 21 Nov 2026 11:00:00 GMT\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 23\r\n"
            + "Connection: keep-alive, X-Private\r\n"
            + "X-Private: secret-ish\r\n"
            + "Set-Cookie: a=1\r\n"
            + "set-cookie: b=2\r\n";

    /** Parses "Name: value\r\n" lines into a WireHeaders the way the decoder hands fields over (value trimmed). */
    static WireHeaders wire(String head) {
        byte[] block = head.getBytes(StandardCharsets.ISO_8859_1);
        List<Integer> offsets = new ArrayList<>();
        int lineStart = 0;
        while (lineStart < block.length) {
            int end = head.indexOf("\r\n", lineStart);
            int colon = head.indexOf(':', lineStart);
            int valueStart = colon + 1;
            while (valueStart < end && (block[valueStart] == ' ' || block[valueStart] == '\t')) {
                valueStart++;
            }
            int valueEnd = end;
            while (valueEnd > valueStart && (block[valueEnd - 1] == ' ' || block[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            offsets.add(lineStart);
            offsets.add(colon);
            offsets.add(valueStart);
            offsets.add(valueEnd);
            lineStart = end + 2;
        }
        return new WireHeaders(block, offsets.stream().mapToInt(Integer::intValue).toArray(), offsets.size() / 4);
    }

    static DefaultHttpHeaders netty(String head) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            headers.add(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        return headers;
    }

    static String written(WireHeaders headers) {
        ByteBuf out = Unpooled.buffer();
        try {
            headers.writeTo(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    static String written(HttpHeaders headers) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<CharSequence, CharSequence> field : (Iterable<Map.Entry<CharSequence, CharSequence>>)
                headers::iteratorCharSequence) {
            text.append(field.getKey()).append(": ").append(field.getValue()).append("\r\n");
        }
        return text.toString();
    }

    @Test
    void readsFieldsCaseInsensitivelyWithoutLeavingTheBytes() {
        WireHeaders headers = wire(HEAD);
        assertEquals("23", headers.get("content-length"));
        assertEquals("23", headers.get(HttpHeaderNames.CONTENT_LENGTH));
        assertEquals(List.of("a=1", "b=2"), headers.getAll(HttpHeaderNames.SET_COOKIE));
        assertTrue(headers.contains("SERVER"));
        assertFalse(headers.contains(HttpHeaderNames.TRANSFER_ENCODING));
        assertNull(headers.get("Content-Encoding"));
        assertTrue(headers.containsValue(HttpHeaderNames.CONNECTION, "x-private", true));
        assertFalse(headers.containsValue(HttpHeaderNames.CONNECTION, "x-private", false));
        assertTrue(headers.contains(HttpHeaderNames.CONTENT_TYPE, "TEXT/PLAIN", true));
        assertEquals(8, headers.size());
        assertTrue(headers.onWire());
        assertEquals(HEAD, written(headers), "unchanged fields are written as received, names in their case");
    }

    @Test
    void removedAndSetFieldsAreWrittenAsNettyWouldWriteThem() {
        WireHeaders headers = wire(HEAD);
        DefaultHttpHeaders expected = netty(HEAD);
        for (HttpHeaders h : List.of(headers, expected)) {
            h.remove(HttpHeaderNames.CONNECTION);
            h.remove("x-private");
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            h.set("Content-Length", 42L);
            h.add("Via", "1.1 sluice");
        }
        assertTrue(headers.onWire());
        assertEquals(written(expected), written(headers));
        assertEquals("42", headers.get("content-length"));
        assertEquals(expected.size(), headers.size());
        assertNull(headers.get("X-Private"));
    }

    @Test
    void anOperationOutsideTheFastPathKeepsEveryEarlierChange() {
        WireHeaders headers = wire(HEAD);
        DefaultHttpHeaders expected = netty(HEAD);
        Date date = new Date(1_800_000_000_000L);
        for (HttpHeaders h : List.of(headers, expected)) {
            h.remove("Server");
            h.set("X-Added", "yes");
            h.set("Expires", date); // a date: formatted by Netty's converter
        }
        assertFalse(headers.onWire());
        assertEquals(written(expected), written(headers));
        assertEquals(23, headers.getInt("Content-Length"));
        assertEquals(new ArrayList<>(expected.names()), new ArrayList<>(headers.names()));
        assertEquals(expected.entries().toString(), headers.entries().toString());
    }

    @Test
    void refusesWhatNettyRefuses() {
        WireHeaders headers = wire(HEAD);
        assertThrows(IllegalArgumentException.class, () -> headers.set("X-Split", "a\r\nInjected: 1"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> headers.set("X-Nul", "a\0b"));
        assertEquals(HEAD, written(headers), "a refused field changes nothing");
    }

    @Test
    void moreFieldsThanTheRemovalMaskCoversStillBehave() {
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < 70; i++) {
            head.append("X-Field-").append(i).append(": ").append(i).append("\r\n");
        }
        WireHeaders headers = wire(head.toString());
        DefaultHttpHeaders expected = netty(head.toString());
        headers.remove("X-Field-65");
        expected.remove("X-Field-65");
        assertEquals(69, headers.size());
        assertNull(headers.get("x-field-65"));
        assertEquals("66", headers.get("x-field-66"));
        assertEquals(written(expected), written(headers));
    }

    @Test
    void clearLeavesNothingToWrite() {
        WireHeaders headers = wire(HEAD);
        headers.clear();
        assertTrue(headers.isEmpty());
        headers.set("A", "1");
        assertEquals("A: 1\r\n", written(headers));
    }

    /** Random sequences of the operations the proxy uses, on both representations: the same fields come out. */
    @Test
    void randomOperationsMatchDefaultHttpHeaders() {
        String[] names = {"Content-Length", "content-type", "Connection", "X-A", "x-a", "Set-Cookie", "Vary"};
        Random random = new Random(20261121);
        for (int round = 0; round < 300; round++) {
            WireHeaders headers = wire(HEAD);
            DefaultHttpHeaders expected = netty(HEAD);
            for (int step = 0; step < 12; step++) {
                String name = names[random.nextInt(names.length)];
                String value = "v" + random.nextInt(5);
                switch (random.nextInt(6)) {
                    case 0:
                        headers.remove(name);
                        expected.remove(name);
                        break;
                    case 1:
                        headers.set(name, value);
                        expected.set(name, value);
                        break;
                    case 2:
                        headers.add(name, value);
                        expected.add(name, value);
                        break;
                    case 3:
                        assertEquals(expected.get(name), headers.get(name), name);
                        break;
                    case 4:
                        assertEquals(expected.getAll(name), headers.getAll(name), name);
                        break;
                    default:
                        assertEquals(expected.containsValue(name, value, true), headers.containsValue(name, value, true));
                        assertEquals(expected.contains(name), headers.contains(name));
                        break;
                }
                assertEquals(expected.size(), headers.size());
            }
            assertEquals(written(expected), written(headers), "round " + round);
        }
    }
}
