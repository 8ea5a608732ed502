package linegate.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.meta.GraphOutcome.NotSent.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link GraphClient} over {@code java.net.http}: {@code POST {graphUrl}/{version}/{node}/messages} with the access
 * token in the {@code Authorization: Bearer} header (never in the URL, where proxies and access logs would keep it).
 * The version is always in the path: without it Meta falls back to its oldest version.
 * <p>
 * At most {@code maxInFlight} calls are in flight at once ({@link SendSlots}). A send waits for a slot at most the
 * Graph timeout, then its call gets the whole timeout again, so a send takes at most twice the timeout; a send that
 * gets no slot is {@link GraphOutcome.NotSent}, never sent, and so is one whose connection to Meta could not be made.
 */
public final class HttpGraphClient implements GraphClient {
    private static final Logger LOG = LoggerFactory.getLogger(HttpGraphClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Retry-After when no slot came free: one frees as soon as any call in flight ends. */
    static final long NO_SLOT_RETRY_AFTER_SECONDS = 1;
    /** Retry-After when Meta could not be connected to: a network or DNS fault outlasts a second or two. */
    static final long CONNECT_RETRY_AFTER_SECONDS = 5;

    private final HttpClient http;
    /** Each host's base with the version, e.g. {@code https://graph.facebook.com/v25.0}. */
    private final Map<GraphEndpoint.Host, String> versionedBases;
    /** The {@code me/messages} URI of each host, built once: every Page-token send goes there. */
    private final Map<GraphEndpoint.Host, URI> meMessages;
    private final Duration timeout;
    private final MeterRegistry metrics;
    private final SendSlots slots;
    private final Counter notSent;
    /** The send timer of each outcome, registered once, on first use. */
    private final Map<String, Timer> sendTimers = new ConcurrentHashMap<>();

    /**
     * @param timeout     how long a call waits for Meta's whole answer, and how long a send waits for a slot
     * @param maxInFlight calls in flight at once on this node, at least 1
     */
    public HttpGraphClient(URI graphUrl, String version, Duration timeout, int maxInFlight, MeterRegistry metrics) {
        this.versionedBases = Map.of(GraphEndpoint.Host.FACEBOOK,
                graphUrl.toString().replaceAll("/+$", "") + "/" + version);
        this.meMessages = Map.of(GraphEndpoint.Host.FACEBOOK,
                URI.create(versionedBases.get(GraphEndpoint.Host.FACEBOOK) + "/me/messages"));
        this.timeout = timeout;
        this.metrics = metrics;
        this.slots = new SendSlots(maxInFlight, metrics);
        this.notSent = Counter.builder("linegate.graph.not.sent")
                .description("Sends that did not reach Meta: no slot came free in time, or no connection could be made")
                .register(metrics);
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                // h2c upgrade on plain http is not something Meta speaks; HTTP/2 only over TLS
                .version("https".equals(graphUrl.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
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
            GraphOutcome outcome = call(messagesUri(endpoint), pageAccessToken, message);
            String tag = switch (outcome) {
                case GraphOutcome.Sent s -> "sent";
                case GraphOutcome.Rejected r -> "rejected";
                case GraphOutcome.Unreachable u -> "unreachable";
                case GraphOutcome.NotSent n -> "not_connected";
            };
            sample.stop(sendTimers.computeIfAbsent(tag, t -> Timer.builder("linegate.graph.send")
                    .description("Graph Send API calls by outcome")
                    .tag("outcome", t)
                    .publishPercentileHistogram()
                    .register(metrics)));
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

    private GraphOutcome call(URI messagesUri, String token, OutboundMessage message) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(messagesUri)
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(GraphWire.SendBody.of(message))))
                    .build();
        } catch (IOException | IllegalArgumentException e) {
            // e.g. a token with a line break: the header is refused before anything is sent
            return new GraphOutcome.Rejected(new GraphError(null, null, null,
                    "request not sent: " + e.getClass().getSimpleName(), null, 0, Optional.empty()), MetaUsage.NONE);
        }
        return exchange(request);
    }

    /**
     * The whole answer within the timeout. {@code HttpRequest.timeout} ends when the response headers arrive, so a body
     * that stalls after them would hold the call, and its slot, until Meta closed the connection; the deadline here
     * covers the body too, and cancelling the exchange closes its connection.
     */
    private GraphOutcome exchange(HttpRequest request) {
        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            return read(pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            pending.cancel(true);
            return noAnswerInTime();
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return new GraphOutcome.Unreachable("interrupted while waiting for Meta");
        } catch (ExecutionException e) {
            return switch (e.getCause()) {
                // no connection was made (refused, no route, DNS failure, connect timeout): not a byte was written
                case HttpConnectTimeoutException t -> notConnected(t);
                case ConnectException c -> notConnected(c);
                case HttpTimeoutException t -> noAnswerInTime();
                case IOException io -> new GraphOutcome.Unreachable("connection to Meta failed: "
                        + io.getClass().getSimpleName() + (io.getMessage() == null ? "" : " " + io.getMessage()));
                case RuntimeException bug -> throw bug;
                case Throwable other -> throw new IllegalStateException("the Graph call failed unexpectedly", other);
            };
        }
    }

    private GraphOutcome.NotSent notConnected(IOException e) {
        notSent.increment();
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new GraphOutcome.NotSent(Reason.NO_CONNECTION, "could not connect to Meta (" + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : " " + root.getMessage()) + ")", CONNECT_RETRY_AFTER_SECONDS);
    }

    private GraphOutcome.Unreachable noAnswerInTime() {
        return new GraphOutcome.Unreachable("no answer from Meta within " + timeout.toMillis() + " ms");
    }

    static GraphOutcome read(HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status >= 200 && status < 300) {
            try {
                GraphWire.SendAnswer answer = JSON.readValue(body, GraphWire.SendAnswer.class);
                if (answer.messageId() != null && !answer.messageId().isEmpty()) {
                    return new GraphOutcome.Sent(answer.messageId(), answer.recipientId(), MetaUsage.of(response.headers()));
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
                    MetaUsage.of(response.headers()));
        }
        GraphWire.ErrorBody e = error.get();
        GraphError graphError = new GraphError(e.code(), e.errorSubcode(), e.type(), e.message(), e.fbtraceId(), status,
                retryAfter(response), Boolean.TRUE.equals(e.isTransient()));
        LOG.info("Meta refused a send: code={} subcode={} type={} fbtrace_id={} http={} is_transient={}",
                e.code(), e.errorSubcode(), e.type(), e.fbtraceId(), status, graphError.isTransient());
        return new GraphOutcome.Rejected(graphError, MetaUsage.of(response.headers()));
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
    static Optional<Long> retryAfter(HttpResponse<?> response) {
        Optional<Long> header = response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Math.max(1, Long.parseLong(v.trim())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
        if (header.isPresent()) {
            return header;
        }
        return response.headers().firstValue("X-Business-Use-Case-Usage").flatMap(HttpGraphClient::bucMinutes)
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
