package linegate.events;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client connects where {@link CallbackAddresses} decided, and nowhere else: a name the system's DNS does not know
 * reaches the receiver only through the checked answer, with the URL's own name in the Host header; a name whose
 * answer is refused is never connected to; redirects are not followed.
 */
class CallbackClientTest {
    final CallbackReceiver receiver = new CallbackReceiver();
    final List<String> lookedUp = new CopyOnWriteArrayList<>();
    CallbackClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        receiver.close();
    }

    CallbackClient client(boolean allowPrivate, String address) {
        client = new CallbackClient(new CallbackAddresses(allowPrivate, host -> {
            lookedUp.add(host);
            if (!host.equals("crm.invalid")) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[]{InetAddress.getByName(address)};
        }));
        return client;
    }

    URI url(String path) {
        return URI.create(receiver.url(path).replace("127.0.0.1", "crm.invalid"));
    }

    CallbackClient.Attempt post(CallbackClient c, URI url) throws Exception {
        return c.post(url, Map.of("Linegate-Event-Id", "evt_1"), "{}".getBytes(StandardCharsets.UTF_8))
                .get(20, TimeUnit.SECONDS);
    }

    @Test
    void connectsToTheCheckedAddressWithTheUrlsHostName() throws Exception {
        CallbackClient c = client(true, "127.0.0.1");

        assertThat(post(c, url("/hook"))).isEqualTo(new CallbackClient.Attempt.Delivered(200));
        assertThat(lookedUp).containsOnly("crm.invalid");
        assertThat(receiver.at("/hook")).singleElement().extracting(CallbackReceiver.Received::host)
                .isEqualTo(url("/hook").getAuthority());
    }

    @Test
    void aNameThatResolvesToAPrivateAddressIsNeverConnectedTo() throws Exception {
        CallbackClient c = client(false, "127.0.0.1");

        CallbackClient.Attempt attempt = post(c, url("/hook"));

        assertThat(attempt).isInstanceOf(CallbackClient.Attempt.Failed.class);
        assertThat(((CallbackClient.Attempt.Failed) attempt).error()).contains("resolves to 127.0.0.1, a loopback address");
        assertThat(receiver.received).isEmpty();
    }

    @Test
    void aRedirectIsAFailedAttemptAndIsNotFollowed() throws Exception {
        receiver.behaviors.put("/moved", r -> 302);
        CallbackClient c = client(true, "127.0.0.1");

        assertThat(post(c, url("/moved"))).isEqualTo(new CallbackClient.Attempt.Failed("HTTP 302 (redirects are not followed)"));
        assertThat(receiver.at("/redirected")).isEmpty();
        assertThat(receiver.received).hasSize(1);
    }
}
