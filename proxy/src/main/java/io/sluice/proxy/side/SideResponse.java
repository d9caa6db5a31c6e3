package io.sluice.proxy.side;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole response to a side request, copied out of Netty's buffers so that nothing reference-counted outlives
 * the side connection.
 *
 * @param headers in the order received; a name may repeat ({@code Set-Cookie})
 * @param body    the body bytes (owned by this record; callers do not modify it)
 */
public record SideResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    public SideResponse {
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** Every value of the header {@code name} (case-insensitive), in order. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                values.add(h.getValue());
            }
        }
        return values;
    }

    /** The first value of {@code name}, or null. */
    public String first(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? null : values.get(0);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
