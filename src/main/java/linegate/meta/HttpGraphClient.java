package linegate.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import linegate.meta.GraphOutcome.NotSent.Reason;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.RetryableRequestException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * {@link GraphClient} over Jetty's HTTP client ({@link GraphConnections}: HTTP/2 to Meta over TLS, HTTP/1.1 to a plain
 * http stand-in): {@code POST {graphUrl}/{version}/{node}/messages} with the access token in the
 * {@code Authorization: Bearer} header (never in the URL, where proxies and access logs would keep it). The version is
 * always in the path: without it Meta falls back to its oldest version.
 * <p>
 * At most {@code maxInFlight} calls are in flight at once ({@link SendSlots}). A send waits for a slot at most the
 * Graph timeout, then its call gets the whole timeout again for Meta's whole answer, body included, so a send takes at
 * most twice the timeout. Redirects are not followed.
 * <p>
 * A call that failed is {@link GraphOutcome.NotSent}, safe to send again, when its request was never written: no slot,
 * no connection (refused, unresolvable, connect or TLS handshake failed or timed out, a timeout while waiting for a
 * connection). Over HTTP/2 a stream beyond the last one a GOAWAY says Meta processed is NotSent too. Once the request
 * may have been written, a failure without an answer is {@link GraphOutcome.Unreachable}: Meta may have delivered
 * the message. Jetty watches its idle connections and drops one the server closed, so a later call does not use it.
 */
public final class HttpGraphClient implements GraphClient, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpGraphClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Retry-After when no slot came free: one frees as soon as any call in flight ends. */
    static final long NO_SLOT_RETRY_AFTER_SECONDS = 1;
    /** Retry-After when Meta could not be connected to: a network or DNS fault outlasts a second or two. */
    static final long CONNECT_RETRY_AFTER_SECONDS = 5;
    /** Meta's answers are a few hundred bytes; a larger one is no usable answer. */
    static final int MAX_ANSWER_BYTES = 1 << 20;
    /** What an HTTP header value can carry of a token (visible ASCII); anything else is refused before sending. */
    private static final Pattern HEADER_VALUE = Pattern.compile("[\\x21-\\x7E]+");

    private final HttpClient http;
    private final GraphHosts hosts;
    /** Each host's base with the version, e.g. {@code https://graph.facebook.com/v25.0}. */
    private final Map<GraphEndpoint.Host, String> versionedBases;
    /** The {@code me/messages} URI of each host, built once: every Page-token send goes there. */
    private final Map<GraphEndpoint.Host, URI> meMessages;
    private final Duration timeout;
    private final MeterRegistry metrics;
    private final SendSlots slots;
    private final Counter notSent;
    /** The send timer of each outcome, registered at start. */
    private final Map<String, Timer> sendTimers = new ConcurrentHashMap<>();

    /**
     * @param timeout     how long a call waits for Meta's whole answer, and how long a send waits for a slot
     * @param maxInFlight calls in flight at once on this node, at least 1
     */
    public HttpGraphClient(GraphHosts hosts, String version, Duration timeout, int maxInFlight, MeterRegistry metrics) {
        this(hosts, version, timeout, maxInFlight, metrics, new SslContextFactory.Client());
    }

    /** Page-token sends only: graph.instagram.com stays Meta's. */
    public HttpGraphClient(URI graphUrl, String version, Duration timeout, int maxInFlight, MeterRegistry metrics) {
        this(new GraphHosts(graphUrl, GraphHosts.META_INSTAGRAM), version, timeout, maxInFlight, metrics);
    }

    /** With {@code tls} trusting what the JVM's default trust store does not (a test's own certificate). */
    HttpGraphClient(URI graphUrl, String version, Duration timeout, int maxInFlight, MeterRegistry metrics,
                    SslContextFactory.Client tls) {
        this(new GraphHosts(graphUrl, GraphHosts.META_INSTAGRAM), version, timeout, maxInFlight, metrics, tls);
    }

    private HttpGraphClient(GraphHosts hosts, String version, Duration timeout, int maxInFlight, MeterRegistry metrics,
                            SslContextFactory.Client tls) {
        this.hosts = hosts;
        Map<GraphEndpoint.Host, String> bases = new EnumMap<>(GraphEndpoint.Host.class);
        Map<GraphEndpoint.Host, URI> me = new EnumMap<>(GraphEndpoint.Host.class);
        for (GraphEndpoint.Host host : GraphEndpoint.Host.values()) {
            bases.put(host, hosts.base(host) + "/" + version);
            me.put(host, URI.create(bases.get(host) + "/me/messages"));
        }
        this.versionedBases = Map.copyOf(bases);
        this.meMessages = Map.copyOf(me);
        this.timeout = timeout;
        this.metrics = metrics;
        this.slots = new SendSlots(maxInFlight, metrics);
        this.notSent = Counter.builder("linegate.graph.not.sent")
                .description("Sends that did not reach Meta: no slot came free in time, or the request was never written")
                .register(metrics);
        this.http = GraphConnections.start(timeout, maxInFlight, tls);
        // at start, so a scrape shows every outcome (at 0) before the first send
        List.of("sent", "rejected", "unreachable", "not_connected").forEach(this::sendTimer);
    }

    private Timer sendTimer(String outcome) {
        return sendTimers.computeIfAbsent(outcome, t -> Timer.builder("linegate.graph.send")
                .description("Graph Send API calls by outcome")
                .tag("outcome", t)
                .publishPercentileHistogram()
                .register(metrics));
    }

    @Override
    public GraphOutcome send(GraphEndpoint endpoint, String pageAccessToken, OutboundMessage message) {
        try {
            if (!slots.take(timeout)) {
                notSent.increment();
                return new GraphOutcome.NotSent(Reason.NO_SLOT, "no slot to call Meta came free within " + timeout.toMillis()
                        + " ms: LINEGATE_GRAPH_MAX_IN_FLIGHT=" + slots.max() + " calls were already in flight on this node",
                        NO_SLOT_RETRY_AFTER_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            notSent.increment();
            return new GraphOutcome.NotSent(Reason.NO_SLOT, "interrupted while waiting for a slot to call Meta",
                    NO_SLOT_RETRY_AFTER_SECONDS);
        }
        try {
            Timer.Sample sample = Timer.start(metrics);
            GraphOutcome outcome = call(endpoint.host(), messagesUri(endpoint), pageAccessToken, message);
            String tag = switch (outcome) {
                case GraphOutcome.Sent s -> "sent";
                case GraphOutcome.Rejected r -> "rejected";
                case GraphOutcome.Unreachable u -> "unreachable";
                case GraphOutcome.NotSent n -> "not_connected";
            };
            sample.stop(sendTimer(tag));
            return outcome;
        } finally {
            slots.release();
        }
    }

    /** {@code {base}/{version}/{node}/messages}; the version is always in the path, or Meta uses its oldest. */
    private URI messagesUri(GraphEndpoint endpoint) {
        return endpoint.node().equals("me") ? meMessages.get(endpoint.host())
                : URI.create(versionedBases.get(endpoint.host()) + "/" + endpoint.node() + "/messages");
    }

    private GraphOutcome call(GraphEndpoint.Host host, URI messagesUri, String token, OutboundMessage message) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(GraphWire.sendBody(message, host));
        } catch (IOException e) {
            return refusedLocally(e.getClass().getSimpleName());
        }
        if (!HEADER_VALUE.matcher(token).matches()) {
            // e.g. a token with a line break: a header cannot carry it, so nothing is sent
            return refusedLocally("the access token holds a character an HTTP header cannot carry");
        }
        Request request = http.newRequest(messagesUri)
                .method(HttpMethod.POST)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                // never idle-timed out before the whole-answer timeout above
                .idleTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + token)
                        .put(HttpHeader.ACCEPT, "application/json"))
                .body(new BytesRequestContent("application/json", body));
        if (hosts.plainHttp(host)) {
            request.version(HttpVersion.HTTP_1_1);
        }
        return exchange(request, message.body().answersWithMessageId());
    }

    private static GraphOutcome.Rejected refusedLocally(String why) {
        return new GraphOutcome.Rejected(new GraphError(null, null, null, "request not sent: " + why, null, 0,
                Optional.empty()), MetaUsage.NONE);
    }

    /**
     * The whole answer within the timeout: Jetty's request timeout runs from the send to the answer's last byte, so a
     * body that stalls after the headers ends at the timeout too, and aborting the exchange closes its connection.
     * <p>
     * Whether the request may have been written decides between "not sent" and "unknown". Jetty begins a request
     * ({@code onBegin}) on a connection it holds, just before it writes the first byte; a failure before that (no
     * connection, no TLS handshake, a timeout while connecting or queued) wrote nothing. Jetty's later commit event
     * does not serve: when a server reads the request and closes the connection at once, the failure can end the
     * exchange before the commit is reported (seen on loopback), and the message would be wrongly "not sent".
     */
    private GraphOutcome exchange(Request request, boolean answersWithMessageId) {
        AtomicBoolean begun = new AtomicBoolean();
        request.onRequestBegin(r -> begun.set(true));
        CompletableFuture<ContentResponse> pending = new CompletableResponseListener(request, MAX_ANSWER_BYTES).send();
        try {
            // Jetty ends the exchange at the timeout; the extra second only guards against a completion never coming
            ContentResponse response = pending.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return read(response, answersWithMessageId);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return begun.get() ? noAnswerInTime() : notWritten(e);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return new GraphOutcome.Unreachable("interrupted while waiting for Meta");
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            if (!begun.get() || refusedUnprocessed(failure)) {
                return notWritten(failure);
            }
            if (causedBy(failure, TimeoutException.class)) {
                return noAnswerInTime();
            }
            return new GraphOutcome.Unreachable("connection to Meta failed: " + describe(root(failure)));
        }
    }

    /** HTTP/2: a stream beyond a GOAWAY's last stream id, not processed (RFC 9113, 6.8), which Jetty marks retryable. */
    private static boolean refusedUnprocessed(Throwable failure) {
        return causedBy(failure, RetryableRequestException.class);
    }

    private GraphOutcome.NotSent notWritten(Throwable failure) {
        notSent.increment();
        String cause = refusedUnprocessed(failure)
                ? "Meta refused the request unprocessed (HTTP/2 GOAWAY): " + describe(root(failure))
                : "could not connect to Meta (" + describe(root(failure)) + ")";
        return new GraphOutcome.NotSent(Reason.NO_CONNECTION, cause, CONNECT_RETRY_AFTER_SECONDS);
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> kind) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (kind.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The failure's kind and the start of its message (Jetty's can name whole connection states). */
    private static String describe(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank() || message.startsWith("oej")) { // Jetty's dump of a connection
            return t.getClass().getSimpleName();
        }
        return t.getClass().getSimpleName() + " " + (message.length() > 120 ? message.substring(0, 120) + "…" : message);
    }

    private GraphOutcome.Unreachable noAnswerInTime() {
        return new GraphOutcome.Unreachable("no answer from Meta within " + timeout.toMillis() + " ms");
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // at shutdown: the connections go with the process
        }
    }

    static GraphOutcome read(Response response) {
        return read(response, true);
    }

    /**
     * Meta's answer; {@code answersWithMessageId} false for a sender action, whose success is
     * {@code {"recipient_id": …}} alone (facts §2.5), so that answer is a success there and unknown for a message.
     */
    static GraphOutcome read(Response response, boolean answersWithMessageId) {
        int status = response.getStatus();
        String body = response instanceof ContentResponse content && content.getContent() != null
                ? new String(content.getContent(), StandardCharsets.UTF_8) : "";
        if (status >= 200 && status < 300) {
            try {
                GraphWire.SendAnswer answer = JSON.readValue(body, GraphWire.SendAnswer.class);
                if (answer.messageId() != null && !answer.messageId().isEmpty()) {
                    return new GraphOutcome.Sent(answer.messageId(), answer.recipientId(), MetaUsage.of(response.getHeaders()));
                }
                if (!answersWithMessageId && answer.recipientId() != null) {
                    return new GraphOutcome.Sent(null, answer.recipientId(), MetaUsage.of(response.getHeaders()));
                }
            } catch (IOException ignored) {
                // fall through: a success status without a message id
            }
            return new GraphOutcome.Unreachable("Meta answered HTTP " + status + " without a message_id");
        }
        Optional<GraphWire.ErrorBody> error = parseError(body);
        if (error.isEmpty()) {
            if (status >= 500) {
                return new GraphOutcome.Unreachable("Meta answered HTTP " + status + " without an error envelope");
            }
            return new GraphOutcome.Rejected(new GraphError(null, null, null,
                    "HTTP " + status + " without an error envelope", null, status, retryAfter(response)),
                    MetaUsage.of(response.getHeaders()));
        }
        GraphWire.ErrorBody e = error.get();
        GraphError graphError = new GraphError(e.code(), e.errorSubcode(), e.type(), e.message(), e.fbtraceId(), status,
                retryAfter(response), Boolean.TRUE.equals(e.isTransient()));
        LOG.info("Meta refused a send: code={} subcode={} type={} fbtrace_id={} http={} is_transient={}",
                e.code(), e.errorSubcode(), e.type(), e.fbtraceId(), status, graphError.isTransient());
        return new GraphOutcome.Rejected(graphError, MetaUsage.of(response.getHeaders()));
    }

    private static Optional<GraphWire.ErrorBody> parseError(String body) {
        try {
            GraphWire.ErrorAnswer answer = JSON.readValue(body, GraphWire.ErrorAnswer.class);
            return Optional.ofNullable(answer.error());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * How long Meta asked us to wait: a {@code Retry-After} header in seconds, or the largest
     * {@code estimated_time_to_regain_access} (minutes) in {@code X-Business-Use-Case-Usage}.
     */
    static Optional<Long> retryAfter(Response response) {
        Optional<Long> header = Optional.ofNullable(response.getHeaders().get("Retry-After")).flatMap(v -> {
            try {
                return Optional.of(Math.max(1, Long.parseLong(v.trim())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
        if (header.isPresent()) {
            return header;
        }
        return Optional.ofNullable(response.getHeaders().get("X-Business-Use-Case-Usage")).flatMap(HttpGraphClient::bucMinutes)
                .filter(m -> m > 0)
                .map(m -> m * 60);
    }

    static Optional<Long> bucMinutes(String headerValue) {
        try {
            JsonNode root = JSON.readTree(headerValue);
            long max = -1;
            for (Iterator<JsonNode> ids = root.elements(); ids.hasNext(); ) {
                for (JsonNode usage : ids.next()) {
                    max = Math.max(max, usage.path("estimated_time_to_regain_access").asLong(-1));
                }
            }
            return max < 0 ? Optional.empty() : Optional.of(max);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
