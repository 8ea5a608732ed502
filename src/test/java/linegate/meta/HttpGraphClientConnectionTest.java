package linegate.meta;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a broken connection to Meta comes to: "never written" (safe to send again: {@link GraphOutcome.NotSent}) told
 * from "written, no answer" (unknown: {@link GraphOutcome.Unreachable}), against raw-socket stand-ins.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpGraphClientConnectionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static HttpGraphClient client(URI graph) {
        return new HttpGraphClient(graph, "v25.0", TIMEOUT, 10, new SimpleMeterRegistry());
    }

    private static GraphOutcome send(HttpGraphClient client, String text) {
        return client.send(GraphEndpoint.PAGE_TOKEN_OWNER, "page-token",
                new OutboundMessage("1254477777772919", OutboundMessage.Kind.TEXT, text, false));
    }

    /**
     * Each kept-alive connection is closed by the stand-in right after its first answer (no {@code Connection: close}),
     * and every send after the first comes once that connection is closed: the request must not be written into it (it
     * would fail after it went out, "may have been delivered"), but go out on a fresh connection. No message the server
     * read reaches it twice.
     */
    @Test
    void aSendAfterTheServerClosedAKeptAliveConnectionGoesOutOnAFreshOne() throws Exception {
        try (RawGraph graph = new RawGraph(RawGraph.Behaviour.ANSWER_THEN_CLOSE)) {
            HttpGraphClient client = client(graph.url());
            List<GraphOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                outcomes.add(send(client, "message " + i));
                awaitClosed(graph, i + 1);
            }

            assertThat(outcomes).noneMatch(o -> o instanceof GraphOutcome.Unreachable);
            assertThat(outcomes).allMatch(o -> o instanceof GraphOutcome.Sent);
            assertThat(graph.bodiesRead).as("each message reached the server once").hasSize(20)
                    .doesNotHaveDuplicates();
            assertThat(graph.connectionsAccepted.get()).isEqualTo(20);
        }
    }

    /** The stand-in has closed {@code count} connections, and the client has had a moment to read their FIN. */
    private static void awaitClosed(RawGraph graph, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (graph.closedAfterAnswer.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the stand-in did not close its connection");
            }
            Thread.sleep(1);
        }
        Thread.sleep(20);
    }

    /**
     * The second request on a kept-alive connection reaches the server, which closes the connection without answering.
     * That failure looks like a connection closed under a send, but the request went out: it is unknown, and it must
     * not be sent again by the client on its own. (java.net.http resent it on a new connection, as a connection
     * "expired" in the pool, and the server read the message twice.)
     */
    @Test
    void aRequestWrittenOnAReusedConnectionAndLeftUnansweredIsUnknownAndNotSentAgain() throws IOException {
        try (RawGraph graph = new RawGraph(RawGraph.Behaviour.ANSWER_ONE_THEN_READ_AND_CLOSE)) {
            HttpGraphClient client = client(graph.url());

            GraphOutcome first = send(client, "first");
            GraphOutcome second = send(client, "second");

            assertThat(first).isInstanceOf(GraphOutcome.Sent.class);
            assertThat(second).isInstanceOf(GraphOutcome.Unreachable.class);
            assertThat(graph.bodiesRead).as("each message reached the server once").hasSize(2)
                    .doesNotHaveDuplicates();
            assertThat(graph.connectionsAccepted.get()).isEqualTo(1);
        }
    }

    @Test
    void aRequestReadWholeAndLeftUnansweredIsUnreachable() throws IOException {
        try (RawGraph graph = new RawGraph(RawGraph.Behaviour.CLOSE_WITHOUT_ANSWER)) {
            GraphOutcome outcome = send(client(graph.url()), "read, never answered");

            assertThat(outcome).isInstanceOf(GraphOutcome.Unreachable.class);
            assertThat(graph.bodiesRead).containsExactly(
                    "{\"recipient\":{\"id\":\"1254477777772919\"},\"messaging_type\":\"RESPONSE\",\"message\":{\"text\":\"read, never answered\"}}");
        }
    }

    /**
     * A connection made and closed by the server before the TLS handshake finished: not a byte of the request was
     * written, so sending again is safe. (java.net.http reported the handshake failure as an IOException like any
     * other, answered 280.)
     */
    @Test
    void aConnectionClosedDuringTheTlsHandshakeIsNotSent() throws IOException {
        try (RawGraph graph = new RawGraph(RawGraph.Behaviour.CLOSE_AT_ONCE)) {
            GraphOutcome outcome = send(client(graph.httpsUrl()), "hello");

            assertThat(outcome).isInstanceOfSatisfying(GraphOutcome.NotSent.class, n -> {
                assertThat(n.reason()).isEqualTo(GraphOutcome.NotSent.Reason.NO_CONNECTION);
                assertThat(n.cause()).startsWith("could not connect to Meta");
            });
            assertThat(graph.connectionsAccepted.get()).isPositive();
            assertThat(graph.bodiesRead).isEmpty();
        }
    }

    @Test
    void aRefusedConnectionIsNotSent() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }

        GraphOutcome outcome = send(client(URI.create("http://127.0.0.1:" + closed)), "hello");

        assertThat(outcome).isInstanceOfSatisfying(GraphOutcome.NotSent.class, n -> {
            assertThat(n.reason()).isEqualTo(GraphOutcome.NotSent.Reason.NO_CONNECTION);
            assertThat(n.retryAfterSeconds()).isEqualTo(HttpGraphClient.CONNECT_RETRY_AFTER_SECONDS);
        });
    }
}
