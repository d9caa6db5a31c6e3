package io.sluice.proxy.router;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * {@code ClientIP(`10.0.0.0/8`)}: the client address is the given IP, or lies in the given CIDR range, IPv4 or
 * IPv6. Parsing never consults DNS: only literal addresses are accepted. An IPv4 range never matches an IPv6
 * client and the other way round.
 */
final class ClientIpMatcher implements RequestMatcher {
    private final byte[] network;
    private final int prefixLength;
    private final int ipv4Network;
    private final int ipv4Mask;

    private ClientIpMatcher(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
        if (network.length == 4) {
            this.ipv4Mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
            this.ipv4Network = toInt(network) & ipv4Mask;
        } else {
            this.ipv4Mask = 0;
            this.ipv4Network = 0;
        }
    }

    /** Parses {@code 192.168.1.7}, {@code 10.0.0.0/8}, {@code ::1} or {@code 2001:db8::/32}. */
    static ClientIpMatcher parse(String text) throws IllegalArgumentException {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = parseAddress(address);
        int maxPrefix = bytes.length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            String bits = text.substring(slash + 1);
            if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("invalid CIDR prefix length in \"" + text + "\"");
            }
            prefix = Integer.parseInt(bits);
            if (prefix > maxPrefix) {
                throw new IllegalArgumentException("CIDR prefix length " + prefix + " exceeds " + maxPrefix
                        + " in \"" + text + "\"");
            }
        }
        return new ClientIpMatcher(bytes, prefix);
    }

    private static byte[] parseAddress(String address) {
        if (address.indexOf(':') >= 0) {
            return parseIpv6(address);
        }
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("invalid IP address \"" + address + "\"");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("invalid IP address \"" + address + "\"");
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                throw new IllegalArgumentException("invalid IP address \"" + address + "\"");
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    private static byte[] parseIpv6(String address) {
        boolean literalCharacters = address.chars()
                .allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        if (!literalCharacters) {
            throw new IllegalArgumentException("invalid IP address \"" + address + "\"");
        }
        try {
            // a string containing ':' is parsed as an IPv6 literal, never looked up
            InetAddress parsed = InetAddress.getByName(address);
            byte[] bytes = parsed.getAddress();
            if (bytes.length == 4) {
                // ::ffff:a.b.c.d comes back as IPv4; keep it IPv6 so the prefix length means what was written
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                return mapped;
            }
            return bytes;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid IP address \"" + address + "\"", e);
        }
    }

    @Override
    public boolean matches(RequestView request) {
        InetAddress client = request.clientAddress();
        if (client == null) {
            return false;
        }
        if (network.length == 4) {
            // Inet4Address.hashCode() is the address as an int: no copy of the address bytes
            return client instanceof Inet4Address && (client.hashCode() & ipv4Mask) == ipv4Network;
        }
        byte[] candidate = client.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength % 8;
        if (remainingBits == 0) {
            return true;
        }
        int mask = (0xff << (8 - remainingBits)) & 0xff;
        return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    private static int toInt(byte[] b) {
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
