package io.sluice.proxy.router;

import java.net.InetAddress;
import java.util.List;

/**
 * What the router may look at in a request. The entrypoint builds one per request from the decoded, normalized
 * request head; the router never sees Netty types.
 */
public interface RequestView {

    /** Host from the Host header (or :authority), lower-cased, port and trailing dot removed; never null. */
    String host();

    /** Normalized path (dot segments resolved, no query); always starts with {@code /}. */
    String path();

    /** Request method, upper case as sent. */
    String method();

    /** First value of a header (name compared case-insensitively), or null. */
    String header(String name);

    /** Every value of a header, in order; empty when absent. */
    List<String> headers(String name);

    /** Every decoded value of a query parameter, in order; empty when absent. */
    List<String> queryParameters(String name);

    /** The peer address of the client connection (after trusted-proxy resolution). */
    InetAddress clientAddress();
}
