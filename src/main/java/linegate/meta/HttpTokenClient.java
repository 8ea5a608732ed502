package linegate.meta;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * {@link TokenClient} over a Jetty HTTP client of its own (a few connections: the token work never takes a send's
 * Graph slot). A check sends the token in the {@code Authorization: Bearer} header, as sends do. A refresh sends it as
 * the {@code access_token} query parameter, the only form Meta documents for {@code refresh_access_token}, so that URL
 * is never logged, and a failure is described by its kind alone (an exception's message may quote the URL).
 * Each call takes at most the Graph timeout for Meta's whole answer.
 */
public final class HttpTokenClient implements TokenClient, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEADER_VALUE = Pattern.compile("[\\x21-\\x7E]+");

    private final HttpClient http;
    private final GraphHosts hosts;
    private final String version;
    private final Duration timeout;
    private final MeterRegistry metrics;

    /** @param connections calls in flight at once, per Graph host */
    public HttpTokenClient(GraphHosts hosts, String version, Duration timeout, int connections, MeterRegistry metrics) {
        this.hosts = hosts;
        this.version = version;
        this.timeout = timeout;
        this.metrics = metrics;
        this.http = GraphConnections.start(timeout, connections, new SslContextFactory.Client());
    }

    @Override
    public CheckAnswer check(GraphEndpoint.Host host, String accessToken) {
        if (!HEADER_VALUE.matcher(accessToken).matches()) {
            return count("check", new CheckAnswer.NoAnswer("the access token holds a character an HTTP header cannot carry"));
        }
        Request request = request(host, URI.create(hosts.base(host) + "/" + version + "/me?fields=id"))
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + accessToken));
        return count("check", readCheck(request));
    }

    private CheckAnswer readCheck(Request request) {
        ContentResponse response;
        try {
            response = exchange(request);
        } catch (NoAnswerException e) {
            return new CheckAnswer.NoAnswer(e.getMessage());
        }
        String body = body(response);
        if (response.getStatus() / 100 == 2) {
            Optional<GraphWire.MeAnswer> me = parse(body, GraphWire.MeAnswer.class);
            if (me.isPresent() && me.get().id() != null && !me.get().id().isBlank()) {
                return new CheckAnswer.Valid(me.get().id());
            }
            return new CheckAnswer.NoAnswer("Meta answered HTTP " + response.getStatus() + " without an id");
        }
        return error(response, body).<CheckAnswer>map(CheckAnswer.Refused::new).orElseGet(() ->
                new CheckAnswer.NoAnswer("Meta answered HTTP " + response.getStatus() + " without an error envelope"));
    }

    @Override
    public RefreshAnswer refresh(String instagramUserToken) {
        GraphEndpoint.Host host = GraphEndpoint.Host.INSTAGRAM;
        // no version: Meta's reference gives the endpoint without one
        Request request = request(host, URI.create(hosts.base(host) + "/refresh_access_token?grant_type=ig_refresh_token"
                + "&access_token=" + URLEncoder.encode(instagramUserToken, StandardCharsets.UTF_8)));
        return count("refresh", readRefresh(request));
    }

    private RefreshAnswer readRefresh(Request request) {
        ContentResponse response;
        try {
            response = exchange(request);
        } catch (NoAnswerException e) {
            return new RefreshAnswer.NoAnswer(e.getMessage());
        }
        String body = body(response);
        if (response.getStatus() / 100 == 2) {
            Optional<GraphWire.RefreshAnswer> answer = parse(body, GraphWire.RefreshAnswer.class);
            if (answer.isPresent() && answer.get().accessToken() != null && !answer.get().accessToken().isBlank()
                    && answer.get().expiresIn() != null && answer.get().expiresIn() > 0) {
                return new RefreshAnswer.Refreshed(answer.get().accessToken(), answer.get().expiresIn());
            }
            return new RefreshAnswer.NoAnswer("Meta answered HTTP " + response.getStatus()
                    + " without an access_token and a positive expires_in");
        }
        return error(response, body).<RefreshAnswer>map(RefreshAnswer.Refused::new).orElseGet(() ->
                new RefreshAnswer.NoAnswer("Meta answered HTTP " + response.getStatus() + " without an error envelope"));
    }

    private Request request(GraphEndpoint.Host host, URI uri) {
        Request request = http.newRequest(uri)
                .method(HttpMethod.GET)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .idleTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
                .headers(h -> h.put(HttpHeader.ACCEPT, "application/json"));
        if (hosts.plainHttp(host)) {
            request.version(HttpVersion.HTTP_1_1);
        }
        return request;
    }

    /** Meta's answer; the failure's kind only, never its message (it may quote the URL, token and all). */
    private ContentResponse exchange(Request request) throws NoAnswerException {
        try {
            return request.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoAnswerException("interrupted while waiting for Meta");
        } catch (TimeoutException e) {
            throw new NoAnswerException("no answer from Meta within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof TimeoutException) {
                throw new NoAnswerException("no answer from Meta within " + timeout.toMillis() + " ms");
            }
            throw new NoAnswerException("connection to Meta failed: " + cause.getClass().getSimpleName());
        }
    }

    private static final class NoAnswerException extends Exception {
        NoAnswerException(String cause) {
            super(cause, null, false, false);
        }
    }

    private static String body(ContentResponse response) {
        return response.getContent() == null ? "" : new String(response.getContent(), StandardCharsets.UTF_8);
    }

    private static <T> Optional<T> parse(String body, Class<T> type) {
        try {
            return Optional.ofNullable(JSON.readValue(body, type));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<GraphError> error(ContentResponse response, String body) {
        return parse(body, GraphWire.ErrorAnswer.class).map(GraphWire.ErrorAnswer::error).map(e -> new GraphError(e.code(),
                e.errorSubcode(), e.type(), e.message(), e.fbtraceId(), response.getStatus(),
                HttpGraphClient.retryAfter(response), Boolean.TRUE.equals(e.isTransient())));
    }

    private <A> A count(String call, A answer) {
        String outcome = switch (answer) {
            case CheckAnswer.Valid v -> "valid";
            case RefreshAnswer.Refreshed r -> "refreshed";
            case CheckAnswer.Refused r -> "refused";
            case RefreshAnswer.Refused r -> "refused";
            default -> "no_answer";
        };
        Counter.builder("linegate.token.calls").description("Calls to Meta's token endpoints (checks, refreshes) by outcome")
                .tag("call", call).tag("outcome", outcome).register(metrics).increment();
        return answer;
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // at shutdown: the connections go with the process
        }
    }
}
