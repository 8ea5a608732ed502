package linegate.media;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import linegate.events.CallbackAddresses;
import linegate.meta.OutboundMessage.Kind;
import linegate.store.LineClass;
import linegate.testing.MediaServer;
import linegate.testing.MediaServer.Answer;
import linegate.testing.MovableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The media check against a real HTTP server on this machine, with the resolver and the address rules in hand: the
 * cache and its clock, a redirect to a refused address (no request reaches it), the connection pinned to the checked
 * address with the URL's host name kept, a host refused as a whole.
 */
class HttpMediaCheckTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Stands for a private address: refused, though this machine would route to it (127.0.0.2 is loopback too). */
    private static final AddressPolicy REFUSES_127_0_0_2 = a -> a.getHostAddress().equals("127.0.0.2")
            ? Optional.of("a private address (for this test)") : Optional.empty();

    private final MediaServer media = MediaServer.start("0.0.0.0");
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private HttpMediaCheck check;

    @AfterEach
    void close() {
        if (check != null) {
            check.close();
        }
        media.close();
    }

    private HttpMediaCheck check(PinnedResolver.Resolver resolver, AddressPolicy policy) {
        check = new HttpMediaCheck(resolver, policy, TIMEOUT, clock, new SimpleMeterRegistry());
        return check;
    }

    private MediaVerdict image(String url) {
        return check.check(URI.create(url), Kind.IMAGE, LineClass.INSTAGRAM);
    }

    @Test
    void keepsAnAnswerTenMinutesByTheInjectedClock() {
        check(InetAddress::getAllByName, AddressPolicy.ANY);
        media.answer("/a.png", Answer.file("image/png", 100));

        assertThat(image(media.url("/a.png"))).isInstanceOf(MediaVerdict.Accepted.class);
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(image(media.url("/a.png"))).isInstanceOf(MediaVerdict.Accepted.class);
        assertThat(media.hits("/a.png")).hasSize(1);

        clock.advance(Duration.ofMillis(2));
        assertThat(image(media.url("/a.png"))).isInstanceOf(MediaVerdict.Accepted.class);
        assertThat(media.hits("/a.png")).hasSize(2);
    }

    @Test
    void keepsARefusalOneMinuteSoAFixedFileCanBeSentSoon() {
        check(InetAddress::getAllByName, AddressPolicy.ANY);
        media.answer("/later.png", Answer.status(404));

        assertThat(image(media.url("/later.png"))).isInstanceOf(MediaVerdict.NotReachable.class);
        media.answer("/later.png", Answer.file("image/png", 100)); // the client uploads the file
        clock.advance(Duration.ofSeconds(59));
        assertThat(image(media.url("/later.png"))).isInstanceOf(MediaVerdict.NotReachable.class);

        clock.advance(Duration.ofSeconds(2));
        assertThat(image(media.url("/later.png"))).isInstanceOf(MediaVerdict.Accepted.class);
        assertThat(media.hits("/later.png")).hasSize(2);
    }

    @Test
    void aRedirectToARefusedAddressIsNotFollowed() {
        check(InetAddress::getAllByName, REFUSES_127_0_0_2);
        media.answer("/hop.png", Answer.redirect(302, "http://127.0.0.2:" + media.port() + "/inside.png?k=SECRET"));
        media.answer("/inside.png", Answer.file("image/png", 100));

        MediaVerdict verdict = image(media.url("/hop.png"));

        assertThat(verdict).isInstanceOf(MediaVerdict.NotReachable.class);
        assertThat(((MediaVerdict.NotReachable) verdict).detail())
                .contains("redirect 1").contains("127.0.0.2").contains("private").doesNotContain("SECRET");
        assertThat(media.hits("/inside.png")).as("requests that reached the refused address").isEmpty();
    }

    @Test
    void theSameRedirectIsFollowedWhereTheAddressIsAllowed() {
        check(InetAddress::getAllByName, AddressPolicy.ANY);
        media.answer("/hop.png", Answer.redirect(302, "http://127.0.0.2:" + media.port() + "/inside.png"));
        media.answer("/inside.png", Answer.file("image/png", 100));

        assertThat(image(media.url("/hop.png"))).isInstanceOf(MediaVerdict.Accepted.class);
        assertThat(media.hits("/inside.png")).extracting(MediaServer.Hit::localAddress).containsExactly("127.0.0.2");
    }

    @Test
    void connectsToTheCheckedAddressAndKeepsTheHostName() {
        // only this resolver knows media.test: an answer proves the connection went where the check resolved it
        check(host -> host.equals("media.test") ? new InetAddress[]{InetAddress.getByName("127.0.0.2")}
                : InetAddress.getAllByName(host), AddressPolicy.ANY);
        media.answer("/p.png", Answer.file("image/png", 100));

        assertThat(image("http://media.test:" + media.port() + "/p.png")).isInstanceOf(MediaVerdict.Accepted.class);
        assertThat(media.hits("/p.png")).singleElement().satisfies(hit -> {
            assertThat(hit.host()).isEqualTo("media.test:" + media.port());
            assertThat(hit.localAddress()).isEqualTo("127.0.0.2");
        });
    }

    @Test
    void aHostWithOneRefusedAddressIsRefusedAsAWhole() {
        check(host -> new InetAddress[]{InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2")},
                REFUSES_127_0_0_2);
        media.answer("/p.png", Answer.file("image/png", 100));

        assertThat(image("http://twofaced.test:" + media.port() + "/p.png"))
                .isInstanceOf(MediaVerdict.NotReachable.class);
        assertThat(media.hits()).isEmpty();
    }

    @Test
    void aHostThatDoesNotResolveIsNotReachable() {
        check(host -> {
            throw new UnknownHostException(host);
        }, AddressPolicy.ANY);

        MediaVerdict verdict = image("https://cdn.nowhere.test/a.png");

        assertThat(verdict).isEqualTo(new MediaVerdict.NotReachable(
                "the media URL's host cdn.nowhere.test does not resolve: Meta could not fetch it either"));
    }

    @Test
    void theCallbacksAddressRulesTheRootHandsInRefuseEveryPrivateRange() throws UnknownHostException {
        AddressPolicy rules = CallbackAddresses::refusal;
        for (String refused : new String[]{"127.0.0.1", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1",
                "169.254.169.254", "169.254.1.1", "100.64.0.1", "100.127.255.254", "0.0.0.0", "224.0.0.1", "::1",
                "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:169.254.169.254"}) {
            assertThat(rules.refusal(InetAddress.getByName(refused))).as(refused).isPresent();
        }
        for (String allowed : new String[]{"93.184.215.14", "172.32.0.1", "100.128.0.1", "2606:4700::6810:84e5"}) {
            assertThat(rules.refusal(InetAddress.getByName(allowed))).as(allowed).isEmpty();
        }
    }
}
