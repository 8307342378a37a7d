package dev.rewind.source;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Rewind may connect on a tenant's behalf. A source's host is the tenant's to choose, so without a check it
 * would let a tenant make the control plane connect anywhere it can reach: the cloud's metadata service, the
 * control plane's own services, or scan a network through the connection check. Every address a host resolves to
 * is checked against a deny list (by default link-local 169.254.0.0/16, fe80::/10, the fd00::/8 metadata range and
 * 0.0.0.0/8), and loopback and private addresses are refused unless configured ({@code rewind.sources.allow-loopback},
 * {@code rewind.sources.allow-private}: the local stack allows both). Callers connect to the address that was
 * checked, not to the name again, so a name that resolves elsewhere a moment later changes nothing.
 */
@ApplicationScoped
public class SourceAddresses {

    @ConfigMapping(prefix = "rewind.sources")
    public interface Policy {

        /** CIDR ranges no source may be in, comma-separated; add the control plane's own networks. */
        @WithDefault("169.254.0.0/16,fe80::/10,fd00::/8,0.0.0.0/8")
        List<String> deny();

        /** Whether a source may be on a loopback address (127.0.0.0/8, ::1). */
        @WithDefault("false")
        boolean allowLoopback();

        /** Whether a source may be on a private address (10/8, 172.16/12, 192.168/16, fc00::/7). */
        @WithDefault("false")
        boolean allowPrivate();
    }

    /** A host Rewind may not connect to; the message says which rule, never what listens there. */
    public static class Refused extends Exception {

        public Refused(String message) {
            super(message);
        }
    }

    private final List<Cidr> deny = new ArrayList<>();
    private final boolean loopback;
    private final boolean privateRanges;

    public SourceAddresses(Policy policy) {
        for (String range : policy.deny()) {
            if (!range.isBlank()) {
                deny.add(Cidr.parse(range.trim()));
            }
        }
        this.loopback = policy.allowLoopback();
        this.privateRanges = policy.allowPrivate();
    }

    /**
     * Resolves the host and checks every address it has.
     *
     * @return the first address, to connect to
     * @throws Refused when the name does not resolve, or one of its addresses is not allowed
     */
    public InetAddress check(String host) throws Refused {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Refused("The host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            String why = refusal(address);
            if (why != null) {
                throw new Refused("The host " + host + " resolves to " + address.getHostAddress() + ", " + why);
            }
        }
        return addresses[0];
    }

    /** Like {@link #check} for a host that need not resolve yet (a server registered unchecked): only its addresses. */
    public void checkIfResolvable(String host) throws Refused {
        try {
            InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return;
        }
        check(host);
    }

    /** The address as a host for a URL or a tool's {@code --host}. */
    public static String literal(InetAddress address) {
        return address.getHostAddress();
    }

    String refusal(InetAddress address) {
        for (Cidr range : deny) {
            if (range.contains(address)) {
                return "which is in " + range + ", where no source may be (rewind.sources.deny)";
            }
        }
        if (address.isAnyLocalAddress()) {
            return "which is no host";
        }
        if (address.isLoopbackAddress() && !loopback) {
            return "a loopback address, which sources may not have here (rewind.sources.allow-loopback)";
        }
        if (isPrivate(address) && !privateRanges) {
            return "a private address, which sources may not have here (rewind.sources.allow-private)";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        return null;
    }

    static boolean isPrivate(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 10 || (first == 172 && second >= 16 && second < 32) || (first == 192 && second == 168)
                    || (first == 100 && second >= 64 && second < 128); // carrier-grade NAT
        }
        return (b[0] & 0xfe) == 0xfc; // fc00::/7
    }

    /** An address range. */
    record Cidr(byte[] network, int bits, String text) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            try {
                byte[] network = InetAddress.getByName(slash < 0 ? text : text.substring(0, slash)).getAddress();
                int bits = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
                if (bits < 0 || bits > network.length * 8) {
                    throw new IllegalArgumentException("bad prefix length");
                }
                return new Cidr(network, bits, text);
            } catch (UnknownHostException | IllegalArgumentException e) {
                throw new IllegalStateException("rewind.sources.deny holds " + text + ", which is not an address range (CIDR)");
            }
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
