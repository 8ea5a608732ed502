package linegate.events;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a callback may connect: a host's addresses, resolved once, each checked. A host with any refused address is
 * refused as a whole (a name that answers with a public and a private address would otherwise reach the private one
 * on a later connection). Refused unless private addresses are allowed ({@code LINEGATE_CALLBACK_ALLOW_PRIVATE}):
 * loopback, unspecified, private (RFC 1918, fc00::/7, fec0::/10), link-local (169.254/16, fe80::/10), shared CGNAT
 * (100.64/10), multicast, broadcast, and the cloud metadata services (169.254.169.254, fd00:ec2::254,
 * metadata.google.internal). An IPv6 address that embeds an IPv4 one (mapped, compatible, NAT64) is judged by it.
 */
public final class CallbackAddresses {
    /** How a host name becomes addresses; the system resolver, or a fixed answer in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final List<String> METADATA_NAMES = List.of("metadata.google.internal", "metadata");

    private final boolean allowPrivate;
    private final Resolver resolver;

    public CallbackAddresses(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    public CallbackAddresses(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    /**
     * The host's addresses, every one of them allowed.
     *
     * @throws RefusedCallbackUrlException when the host does not resolve or one of its addresses is refused
     */
    public List<InetAddress> resolve(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (!allowPrivate && METADATA_NAMES.contains(name)) {
            throw refused("names a cloud metadata service");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new RefusedCallbackUrlException("the callback URL's host name does not resolve: check the name,"
                    + " and that this machine's DNS can see it");
        }
        if (addresses.length == 0) {
            throw new RefusedCallbackUrlException("the callback URL's host name resolves to no address");
        }
        if (!allowPrivate) {
            for (InetAddress a : addresses) {
                refusal(a).ifPresent(why -> {
                    throw refused("resolves to " + a.getHostAddress() + ", " + why);
                });
            }
        }
        return Arrays.asList(addresses);
    }

    private static RefusedCallbackUrlException refused(String what) {
        return new RefusedCallbackUrlException("the callback URL's host " + what + ": callbacks go only to public"
                + " addresses (set LINEGATE_CALLBACK_ALLOW_PRIVATE=true to allow private ones, e.g. a CRM on the same"
                + " network)");
    }

    /** Why a callback may not go to this address; empty for a public address. */
    public static Optional<String> refusal(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            Optional<Inet4Address> embedded = embeddedIpv4(v6.getAddress());
            if (embedded.isPresent()) {
                return refusal(embedded.get());
            }
            return refusalV6(v6);
        }
        return refusalV4(address);
    }

    private static Optional<String> refusalV4(InetAddress a) {
        byte[] b = a.getAddress();
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (Arrays.equals(b, new byte[]{(byte) 169, (byte) 254, (byte) 169, (byte) 254})) {
            return Optional.of("a cloud metadata address");
        }
        if (a.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (first == 0) {
            return Optional.of("an unspecified address (0.0.0.0/8)");
        }
        if (a.isLinkLocalAddress()) {
            return Optional.of("a link-local address (169.254.0.0/16)");
        }
        if (a.isSiteLocalAddress()) {
            return Optional.of("a private address (RFC 1918)");
        }
        if (first == 100 && (second & 0xc0) == 64) {
            return Optional.of("a shared CGNAT address (100.64.0.0/10)");
        }
        if (a.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        if (first >= 240) {
            return Optional.of("a reserved or broadcast address (240.0.0.0/4)");
        }
        return Optional.empty();
    }

    private static Optional<String> refusalV6(Inet6Address a) {
        byte[] b = a.getAddress();
        if (a.getHostAddress().replaceFirst("%.*", "").equals("fd00:ec2:0:0:0:0:0:254")) {
            return Optional.of("a cloud metadata address");
        }
        if (a.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (a.isAnyLocalAddress()) {
            return Optional.of("an unspecified address (::)");
        }
        if (a.isLinkLocalAddress()) {
            return Optional.of("a link-local address (fe80::/10)");
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return Optional.of("a private address (unique local, fc00::/7)");
        }
        if (a.isSiteLocalAddress()) {
            return Optional.of("a private address (site-local, fec0::/10)");
        }
        if (a.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        return Optional.empty();
    }

    /**
     * The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) or NAT64 (64:ff9b::a.b.c.d)
     * IPv6 address. Java already turns a mapped literal into an {@link Inet4Address}; a resolver need not.
     */
    private static Optional<Inet4Address> embeddedIpv4(byte[] b) {
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        boolean mapped = zeroPrefix && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeroPrefix && b[10] == 0 && b[11] == 0
                && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1));
        boolean nat64 = (b[0] & 0xff) == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        if (!mapped && !compatible && !nat64) {
            return Optional.empty();
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
