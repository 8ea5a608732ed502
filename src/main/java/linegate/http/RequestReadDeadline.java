package linegate.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A deadline for reading one request: a connection whose current request began (its first byte arrived) more than
 * {@code LINEGATE_REQUEST_READ_TIMEOUT_MS} ago and whose headers or body are still arriving is closed. Jetty's idle
 * timeout alone cannot do this: it restarts with every byte, so a client trickling a header line every 20 s kept a
 * connection for as long as it liked. Jetty 12 has no public hook for it (HttpConfiguration's minRequestDataRate is
 * not enforced by Jetty 12.1), so a sweep looks at each HTTP/1.1 connection's parser, a few times per deadline.
 * <p>
 * The clock of a request starts when a sweep first sees it being read (at most one sweep after its first byte), and
 * not at the parser's own begin time, which another thread may see before the state it belongs to. A request whose
 * headers and body have arrived is never touched, however long its handler takes (a send waiting for Meta).
 */
final class RequestReadDeadline extends AbstractLifeCycle {
    private final Server server;
    private final Duration limit;
    private final Counter closed;
    private ScheduledExecutorService timer;
    /** The endpoints seen being read by the last sweep: the request's begin time (identity) and when it was first seen. */
    private Map<EndPoint, Reading> reading = new HashMap<>();

    private record Reading(long parserBegin, long firstSeenNanos) {
    }

    RequestReadDeadline(Server server, Duration limit, MeterRegistry registry) {
        this.server = server;
        this.limit = limit;
        this.closed = Counter.builder("linegate.http.read.timeouts")
                .description("Connections closed because a request's headers and body did not arrive within"
                        + " LINEGATE_REQUEST_READ_TIMEOUT_MS")
                .register(registry);
    }

    @Override
    protected void doStart() {
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("linegate-request-deadline").daemon().factory());
        long every = Math.clamp(limit.toMillis() / 4, 20, 1_000);
        timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        timer.shutdownNow();
    }

    private void sweep() {
        long now = System.nanoTime();
        Map<EndPoint, Reading> seen = new HashMap<>();
        for (Connector connector : server.getConnectors()) {
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                if (!(endPoint.getConnection() instanceof HttpConnection http) || !beingRead(http.getParser())) {
                    continue;
                }
                long begin = http.getParser().getBeginNanoTime();
                Reading before = reading.get(endPoint);
                Reading current = before != null && before.parserBegin() == begin ? before : new Reading(begin, now);
                if (now - current.firstSeenNanos() > limit.toNanos()) {
                    closed.increment();
                    endPoint.close();
                } else {
                    seen.put(endPoint, current);
                }
            }
        }
        reading = seen;
    }

    /**
     * The parser's states between the first byte of a request and the last byte of its body; not between requests,
     * and not once the body is complete (CONTENT_END, END), however long the request is then handled.
     */
    private static final Set<HttpParser.State> READING = EnumSet.complementOf(EnumSet.of(HttpParser.State.START,
            HttpParser.State.CONTENT_END, HttpParser.State.END, HttpParser.State.CLOSE, HttpParser.State.CLOSED));

    private static boolean beingRead(HttpParser parser) {
        return READING.contains(parser.getState());
    }
}
