package linegate.media;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Why Linegate may not connect to an address, or empty when it may. The root hands in the same rules the callbacks
 * use (loopback, private, link-local and metadata, CGNAT, unspecified, multicast, and IPv6 addresses that embed one of
 * those), or {@link #ANY} with {@code LINEGATE_MEDIA_ALLOW_PRIVATE=true}.
 */
@FunctionalInterface
public interface AddressPolicy {
    AddressPolicy ANY = address -> Optional.empty();

    Optional<String> refusal(InetAddress address);
}
