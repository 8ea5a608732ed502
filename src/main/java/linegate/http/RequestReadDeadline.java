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
 * headers and body have arrived is never touched, however long its handler takes (a send waiting for Meta), and a
 * kept-alive connection that is quiet between requests is left to Jetty's idle timeout.
 */
final class RequestReadDeadline extends AbstractLifeCycle {
    private final Server server;
    private final Duration limit;
    private final Counter closed;
    private ScheduledExecutorService timer;
    /** What the last sweep saw of each connection between requests or reading one. */
    private Map<EndPoint, Reading> reading = new HashMap<>();

    /**
     * One connection as a sweep saw it: the request being read (the parser's begin time, as its identity) or
     * {@link #BETWEEN_REQUESTS}; since when the deadline runs ({@link #NOT_RUNNING} for a quiet connection between
     * requests); and the requests and bytes the connection had read.
     */
    private record Reading(long request, long sinceNanos, long messagesIn, long bytesIn) {
    }

    private static final long BETWEEN_REQUESTS = Long.MIN_VALUE;
    private static final long NOT_RUNNING = Long.MIN_VALUE;

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
                if (!(endPoint.getConnection() instanceof HttpConnection http)) {
                    continue;
                }
                Reading current = next(reading.get(endPoint), http, now);
                if (current == null) {
                    continue;
                }
                if (current.sinceNanos() != NOT_RUNNING && now - current.sinceNanos() > limit.toNanos()) {
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
     * The deadline runs while a request is being read, and between requests once the connection reads bytes that
     * start none: Jetty skips blank lines before a request (up to its header limit), so a CRLF every 20 s would
     * otherwise hold a connection for hours. Null for a request that has arrived and is being handled.
     */
    private static Reading next(Reading before, HttpConnection http, long now) {
        HttpParser parser = http.getParser();
        long messagesIn = http.getMessagesIn();
        long bytesIn = http.getBytesIn();
        if (READING.contains(parser.getState())) {
            long request = parser.getBeginNanoTime();
            return before != null && before.request() == request && before.sinceNanos() != NOT_RUNNING ? before
                    : new Reading(request, now, messagesIn, bytesIn);
        }
        if (!parser.isStart()) {
            return null;
        }
        if (before == null || before.request() != BETWEEN_REQUESTS || before.messagesIn() != messagesIn) {
            return new Reading(BETWEEN_REQUESTS, NOT_RUNNING, messagesIn, bytesIn); // quiet, or a request came and went
        }
        if (before.sinceNanos() == NOT_RUNNING && bytesIn != before.bytesIn()) {
            return new Reading(BETWEEN_REQUESTS, now, messagesIn, bytesIn);
        }
        return before;
    }

    /**
     * The parser's states between the first byte of a request and the last byte of its body; not between requests,
     * and not once the body is complete (CONTENT_END, END), however long the request is then handled.
     */
    private static final Set<HttpParser.State> READING = EnumSet.complementOf(EnumSet.of(HttpParser.State.START,
            HttpParser.State.CONTENT_END, HttpParser.State.END, HttpParser.State.CLOSE, HttpParser.State.CLOSED));

}
