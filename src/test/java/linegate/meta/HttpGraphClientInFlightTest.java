package linegate.meta;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LINEGATE_GRAPH_MAX_IN_FLIGHT: at most that many Send API calls reach Meta at once; a send that gets no slot within
 * the Graph timeout is {@link GraphOutcome.NotSent} and never reaches Meta; a slot is held no longer than the timeout.
 * Meta is a real HTTP server (the JDK's) that holds every call until the test lets it answer, and counts what it holds.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HttpGraphClientInFlightTest {
    private static final OutboundMessage HELLO = new OutboundMessage("1254477777772919", OutboundMessage.Kind.TEXT, "hi", false);

    HeldGraph graph;
    MeterRegistry registry;
    ExecutorService senders;

    @BeforeEach
    void start() throws IOException {
        graph = new HeldGraph();
        registry = new SimpleMeterRegistry();
        senders = Executors.newVirtualThreadPerTaskExecutor();
    }

    @AfterEach
    void stop() {
        senders.shutdownNow();
        graph.close();
    }

    private HttpGraphClient client(int maxInFlight, Duration timeout) {
        return new HttpGraphClient(graph.url(), "v25.0", timeout, maxInFlight, registry);
    }

    private Future<GraphOutcome> sendLater(HttpGraphClient client) {
        return senders.submit(() -> client.send(GraphEndpoint.PAGE_TOKEN_OWNER, "page-token", HELLO));
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    void atMostMaxInFlightCallsReachMetaAtOnce() throws Exception {
        HttpGraphClient client = client(3, Duration.ofSeconds(5));

        List<Future<GraphOutcome>> sends = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sends.add(sendLater(client));
        }
        await("3 calls held by Meta and 9 sends waiting for a slot",
                () -> graph.holding.get() == 3 && gauge("linegate.graph.waiting") == 9);
        assertThat(gauge("linegate.graph.in.flight")).isEqualTo(3);
        Thread.sleep(200);
        assertThat(graph.received.get()).as("no fourth call while three are in flight").isEqualTo(3);

        graph.answerAll();
        for (Future<GraphOutcome> send : sends) {
            assertThat(send.get(5, TimeUnit.SECONDS)).isInstanceOf(GraphOutcome.Sent.class);
        }
        assertThat(graph.received.get()).isEqualTo(12);
        assertThat(graph.maxHolding.get()).as("the most calls Meta held at once").isEqualTo(3);
        assertThat(gauge("linegate.graph.in.flight")).isZero();
        assertThat(gauge("linegate.graph.waiting")).isZero();
    }

    /**
     * One slot: A holds it at Meta, B and then C wait. A's answer hands the slot to B, the first in line, which holds it
     * at Meta past C's deadline, so C gets no slot. (With only A and B, A's own call would end within the timeout, and
     * free the slot, before B's wait did.)
     */
    @Test
    void aSendThatGetsNoSlotWithinTheTimeoutIsNotSentAndNeverReachesMeta() throws Exception {
        HttpGraphClient client = client(1, Duration.ofMillis(1000));
        Future<GraphOutcome> a = sendLater(client);
        await("A at Meta", () -> graph.holding.get() == 1);
        Future<GraphOutcome> b = sendLater(client);
        await("B waiting", () -> gauge("linegate.graph.waiting") == 1);
        long cStarted = System.nanoTime();
        Future<GraphOutcome> c = sendLater(client);
        await("C waiting", () -> gauge("linegate.graph.waiting") == 2);
        Thread.sleep(300); // B takes the slot well after C began waiting, so B's call outlives C's wait

        graph.answer(1);
        assertThat(a.get(5, TimeUnit.SECONDS)).isInstanceOf(GraphOutcome.Sent.class);
        await("B at Meta", () -> graph.received.get() == 2 && graph.holding.get() == 1);

        GraphOutcome outcome = c.get(5, TimeUnit.SECONDS);
        long cTookMs = (System.nanoTime() - cStarted) / 1_000_000;
        assertThat(outcome).isInstanceOfSatisfying(GraphOutcome.NotSent.class, n -> assertThat(n.cause())
                .contains("within 1000 ms").contains("LINEGATE_GRAPH_MAX_IN_FLIGHT=1"));
        assertThat(cTookMs).as("C waited the whole timeout").isGreaterThanOrEqualTo(1000);
        assertThat(graph.received.get()).as("C never reached Meta").isEqualTo(2);
        assertThat(registry.get("linegate.graph.not.sent").counter().count()).isEqualTo(1);

        graph.answerAll();
        assertThat(b.get(5, TimeUnit.SECONDS)).isInstanceOf(GraphOutcome.Sent.class);
        assertThat(client.send(GraphEndpoint.PAGE_TOKEN_OWNER, "page-token", HELLO)).as("the slot is free again").isInstanceOf(GraphOutcome.Sent.class);
        assertThat(gauge("linegate.graph.in.flight")).isZero();
    }

    @Test
    void aSendInterruptedWhileWaitingForASlotIsNotSentAndKeepsItsInterrupt() throws Exception {
        HttpGraphClient client = client(1, Duration.ofSeconds(5));
        Future<GraphOutcome> a = sendLater(client);
        await("A at Meta", () -> graph.holding.get() == 1);

        AtomicReference<GraphOutcome> outcome = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread waiting = Thread.ofVirtual().start(() -> {
            outcome.set(client.send(GraphEndpoint.PAGE_TOKEN_OWNER, "page-token", HELLO));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        await("B waiting", () -> gauge("linegate.graph.waiting") == 1);
        waiting.interrupt();
        assertThat(waiting.join(Duration.ofSeconds(2))).as("the interrupted send returned").isTrue();

        assertThat(outcome.get()).isInstanceOfSatisfying(GraphOutcome.NotSent.class,
                n -> assertThat(n.cause()).contains("interrupted"));
        assertThat(stillInterrupted).isTrue();
        assertThat(graph.received.get()).isEqualTo(1);
        graph.answerAll();
        assertThat(a.get(5, TimeUnit.SECONDS)).isInstanceOf(GraphOutcome.Sent.class);
        assertThat(gauge("linegate.graph.in.flight")).isZero();
    }

    /**
     * An answer whose body stalls after its headers must still end at the Graph timeout (the whole answer within it),
     * or it would hold its slot for as long as Meta kept the connection open; the request was written, so it is
     * unknown.
     */
    @Test
    void anAnswerWhoseBodyStallsEndsAtTheTimeoutAndFreesItsSlot() {
        HttpGraphClient client = client(1, Duration.ofMillis(500));
        graph.stallBodies.set(true);

        long started = System.nanoTime();
        GraphOutcome stalled = client.send(GraphEndpoint.PAGE_TOKEN_OWNER, "page-token", HELLO);
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(stalled).isInstanceOfSatisfying(GraphOutcome.Unreachable.class,
                u -> assertThat(u.cause()).contains("within 500 ms"));
        assertThat(tookMs).isLessThan(3000);
        assertThat(gauge("linegate.graph.in.flight")).isZero();

        graph.stallBodies.set(false);
        graph.answerAll();
        assertThat(client.send(GraphEndpoint.PAGE_TOKEN_OWNER, "page-token", HELLO)).isInstanceOf(GraphOutcome.Sent.class);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    /**
     * Meta's Send API on the JDK's HTTP server. Each call is held until the test lets one answer ({@link #answer}); the
     * server counts the calls it received and holds, and the most it held at once. With {@link #stallBodies} it sends
     * the headers and the start of the body, then holds.
     */
    static final class HeldGraph implements AutoCloseable {
        private static final byte[] SUCCESS = MetaSamples.read("ig-send-success.doc.json").getBytes(StandardCharsets.UTF_8);
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger holding = new AtomicInteger();
        final AtomicInteger maxHolding = new AtomicInteger();
        final AtomicBoolean stallBodies = new AtomicBoolean();
        private final Semaphore answers = new Semaphore(0);
        private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        private final HttpServer server;

        HeldGraph() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
            server.setExecutor(handlers);
            server.createContext("/v25.0/me/messages", this::handle);
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        void answer(int calls) {
            answers.release(calls);
        }

        void answerAll() {
            answers.release(100_000);
        }

        private void handle(HttpExchange exchange) throws IOException {
            received.incrementAndGet();
            maxHolding.accumulateAndGet(holding.incrementAndGet(), Math::max);
            boolean stall = stallBodies.get();
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                if (stall) {
                    exchange.sendResponseHeaders(200, SUCCESS.length);
                    OutputStream body = exchange.getResponseBody();
                    body.write(SUCCESS, 0, 5);
                    body.flush();
                }
                answers.acquireUninterruptibly();
                // the call stops counting before its answer is written: the client frees its slot only after reading it
                holding.decrementAndGet();
                if (!stall) {
                    exchange.sendResponseHeaders(200, SUCCESS.length);
                    exchange.getResponseBody().write(SUCCESS);
                }
            }
        }

        @Override
        public void close() {
            answerAll();
            server.stop(0);
            handlers.shutdownNow();
        }
    }
}
