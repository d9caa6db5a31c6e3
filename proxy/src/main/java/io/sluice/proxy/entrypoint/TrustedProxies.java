package io.sluice.proxy.entrypoint;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** The CIDRs whose forwarding headers we believe. Parsed once; {@link #contains} does no allocation. */
final class TrustedProxies {
    private record Block(byte[] network, int bits) {
    }

    private final List<Block> blocks;

    TrustedProxies(List<String> cidrs) {
        List<Block> parsed = new ArrayList<>();
        for (String cidr : cidrs) {
            int slash = cidr.indexOf('/');
            try {
                byte[] address = InetAddress.getByName(slash < 0 ? cidr : cidr.substring(0, slash)).getAddress();
                int bits = slash < 0 ? address.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
                parsed.add(new Block(address, bits));
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR: " + cidr, e);
            }
        }
        this.blocks = List.copyOf(parsed);
    }

    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Block block : blocks) {
            if (block.network().length == bytes.length && matches(block, bytes)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Block block, byte[] bytes) {
        int bits = block.bits();
        for (int i = 0; i < bytes.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((bytes[i] & mask) != (block.network()[i] & mask)) {
                return false;
            }
        }
        return true;
    }
}
