package linegate.media;

import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a media check may connect: Jetty's client connects only to the addresses this resolver returns, and it returns
 * a host's addresses only after every one passed the {@link AddressPolicy}, resolved once, in the same step. So a name
 * that answers a public address to a check and a private one a moment later (DNS rebinding) cannot lead the
 * connection elsewhere, and a refused host gets no connection at all, let alone a request.
 * <p>
 * Why Jetty's resolver and not the JDK client to the IP literal with a Host header: Jetty keeps the URL's host name
 * for the Host header, TLS's SNI and the certificate's host name check (SslContextFactory.Client's endpoint
 * identification), and only the socket goes to the checked address; a request to the IP would need SNI and host name
 * verification rebuilt by hand. A host with one refused address is refused as a whole.
 */
final class PinnedResolver implements SocketAddressResolver {
    /** How a host name becomes addresses; the system resolver, or a fixed answer in tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The host may not be connected to; the message completes "…'s host " in a detail. */
    static final class RefusedHostException extends RuntimeException {
        RefusedHostException(String message) {
            super(message, null, false, false);
        }
    }

    private final Resolver resolver;
    private final AddressPolicy policy;
    private final String allowHint;

    PinnedResolver(Resolver resolver, AddressPolicy policy, String allowHint) {
        this.resolver = resolver;
        this.policy = policy;
        this.allowHint = allowHint;
    }

    /** Resolves and checks on a virtual thread (name look-ups block), and hands Jetty only allowed addresses. */
    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        Thread.ofVirtual().name("linegate-media-resolve").start(() -> {
            try {
                promise.succeeded(allowed(host).stream().map(a -> new InetSocketAddress(a, port)).toList());
            } catch (RuntimeException e) {
                promise.failed(e);
            }
        });
    }

    List<InetAddress> allowed(String host) {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            throw new RefusedHostException(name + " does not resolve: Meta could not fetch it either");
        }
        if (addresses.length == 0) {
            throw new RefusedHostException(name + " resolves to no address");
        }
        for (InetAddress a : addresses) {
            Optional<String> why = policy.refusal(a);
            if (why.isPresent()) {
                throw new RefusedHostException(name + " resolves to " + a.getHostAddress() + ", " + why.get()
                        + ": media URLs must be public" + allowHint);
            }
        }
        return Arrays.asList(addresses);
    }
}
