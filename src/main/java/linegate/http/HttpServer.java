package linegate.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ExceptionHandler;
import io.javalin.http.HttpResponseException;
import io.javalin.util.JavalinBindException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import linegate.api.ApiException;
import linegate.api.Refusal;
import linegate.api.StatusCode;
import linegate.auth.Authenticator;
import linegate.channel.Channel;
import linegate.channel.Channels;
import linegate.events.EventFeed;
import linegate.http.admin.AdminApi;
import linegate.http.admin.AdminErrors;
import linegate.send.ConversationLookup;
import linegate.send.MessageSender;
import linegate.send.MessageStatusLookup;
import linegate.webhook.WebhookIntake;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Linegate's HTTP server: the one route table, the API gate, the error mapper, request metrics, and a graceful stop
 * (stop admitting requests, answer late ones 503, answer waiting event feed requests, let those in flight finish, then
 * close).
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final String TIMER = "linegate.timer";
    private static final String ADMITTED = "linegate.admitted";
    /**
     * Connections the kernel may hold for us before we accept them. Java's default (50) overflows when a few thousand
     * clients connect at once: the overflowing connections are dropped and the clients see a reset instead of an
     * answer. The kernel caps it at net.core.somaxconn.
     */
    static final int ACCEPT_QUEUE = 4096;

    /** Always admitted, so an overloaded node still says how it is. */
    private static final List<String> OPS_ROUTES = List.of("/health", "/health/live", "/health/ready", "/metrics");
    /** Answered while shutting down too: readiness says DOWN, liveness UP, so a drain is not mistaken for a hang. */
    private static final List<String> HEALTH_ROUTES = List.of("/health", "/health/live", "/health/ready");
    static final long OVERLOADED_RETRY_AFTER_SECONDS = 1;
    /** How long after the last request's after-handler its answer gets to leave before Jetty closes connections. */
    static final Duration FLUSH_GRACE = Duration.ofMillis(100);
    static final int REQUEST_HEADER_BYTES = 8 * 1024;
    private static final List<String> STATUS_ROUTES = List.of("/api/v2/MessageStatus.php", "/api/v2/MessageStatus");
    private static final List<String> EVENTS_ROUTES = List.of("/api/v2/Events.php", "/api/v2/Events");
    private static final List<String> SENDER_ACTION_ROUTES = List.of("/api/v2/SenderAction.php", "/api/v2/SenderAction");
    private static final List<String> CONVERSATION_ROUTES = List.of("/api/v2/Conversation.php", "/api/v2/Conversation");

    private final Javalin app;
    /** With {@code LINEGATE_MANAGEMENT_PORT}: the server of /metrics and /health*, which the main port then lacks. */
    private final Optional<Javalin> management;
    private final Listen listen;
    private final EventFeed eventFeed;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastReleaseNanos = System.nanoTime() - FLUSH_GRACE.toNanos();
    private final int maxConcurrentRequests;
    private final Counter overloaded;
    private final PrometheusMeterRegistry registry;
    /** Each tag set's timer, registered once (a registry look-up per request builds and hashes the meter's id). */
    private final Map<RequestTags, Timer> requestTimers = new ConcurrentHashMap<>();

    /** The send endpoints, each channel's paths (the original PHP path, and the same without {@code .php}). */
    private final Map<String, Channel> sendRoutes;

    /**
     * {@code databaseUnavailable}: the exception by which the store says it cannot serve now, answered 503 "the
     * database is unavailable; retry later" wherever it escapes a service (a safety net: every service at the
     * boundary, the send pipeline included, translates it itself); http does not know the store's types.
     */
    public HttpServer(Listen listen, HttpLimits limits, Channels channels, Authenticator authenticator, MessageSender sender,
                      MessageStatusLookup statusLookup, ConversationLookup conversationLookup, EventFeed eventFeed,
                      WebhookIntake webhookIntake,
                      Supplier<ReadinessReport> readiness,
                      Class<? extends RuntimeException> databaseUnavailable, PrometheusMeterRegistry registry,
                      AdminApi admin) {
        this.registry = registry;
        this.listen = listen;
        this.eventFeed = eventFeed;
        this.maxConcurrentRequests = limits.maxConcurrentRequests();
        this.overloaded = Counter.builder("linegate.http.overloaded")
                .description("Requests answered 503 at once because LINEGATE_MAX_CONCURRENT_REQUESTS were in flight")
                .register(registry);
        int maxBodyBytes = limits.maxBodyBytes();
        SendMetrics sendMetrics = new SendMetrics(registry, listen.sendLog());
        ApiGate gate = new ApiGate(new RequestReader(maxBodyBytes), authenticator);
        this.sendRoutes = sendRoutes(channels);
        SendController sends = new SendController(sender, sendMetrics);
        StatusController statuses = new StatusController(statusLookup);
        ConversationController conversations = new ConversationController(conversationLookup);
        EventsController events = new EventsController(eventFeed);
        WebhookController webhooks = new WebhookController(webhookIntake);
        OpsController ops = new OpsController(readiness, stopping::get, registry);
        OpenApiController openApi = new OpenApiController();
        ErrorMapper errors = new ErrorMapper(sendMetrics);
        ProtocolErrors protocolErrors = new ProtocolErrors();
        ConsoleController console = new ConsoleController();
        AdminErrors adminErrors = admin.errors();

        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = Math.max(maxBodyBytes, WebhookController.MAX_DELIVERY_BYTES);
            config.jetty.host = listen.bind();
            config.jetty.port = listen.port();
            config.http.prefer405over404 = true; // a known path with another method: 204 with Allow, not 203
            config.jetty.modifyServer(HttpServer::deepAcceptQueue);
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(protocolErrors);
                server.addBean(new RequestReadDeadline(server, limits.requestReadTimeout(), registry));
            });
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(protocolErrors));
            // Jetty's per-connection cache of header fields costs ~27 KB per kept-alive connection (measured: 28,000
            // client connections held 750 MB of it and ran a 1 GB heap out); parsing headers without it is cheap
            config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
            // heap buffers: inside the heap limit; Jetty's direct ones were pooled beside it (up to an eighth of the
            // limit) and the rest waited for a collection to free them: 40 to 150 MB more RSS under 10,000 requests
            config.jetty.modifyHttpConfiguration(http -> {
                http.setUseInputDirectByteBuffers(false);
                http.setUseOutputDirectByteBuffers(false);
            });
            // the request line and headers together (docs/api.md: 205 and 206 beyond it); Jetty's default, made explicit
            config.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(REQUEST_HEADER_BYTES));
            config.jetty.multipartConfig.maxTotalRequestSize(maxBodyBytes, io.javalin.config.SizeUnit.BYTES);
            config.jetty.multipartConfig.maxFileSize(maxBodyBytes, io.javalin.config.SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize(maxBodyBytes, io.javalin.config.SizeUnit.BYTES);

            // ---- the whole API ----
            config.routes.before(RequestIds::begin);
            config.routes.before(this::admit);
            config.routes.beforeMatched("/api/*", this::markSendChannel);
            config.routes.beforeMatched("/api/*", gate::handle);
            sendRoutes.forEach((path, channel) -> config.routes.post(path, ctx -> sends.send(ctx, channel)));
            SENDER_ACTION_ROUTES.forEach(path -> config.routes.post(path, ctx -> sends.senderAction(ctx, channels)));
            STATUS_ROUTES.forEach(path -> {
                config.routes.get(path, statuses::status);
                config.routes.post(path, statuses::status);
            });
            CONVERSATION_ROUTES.forEach(path -> {
                config.routes.get(path, conversations::window);
                config.routes.post(path, conversations::window);
            });
            EVENTS_ROUTES.forEach(path -> {
                config.routes.get(path, events::events);
                config.routes.post(path, events::events);
            });
            config.routes.get("/webhooks/meta", webhooks::handshake);
            config.routes.post("/webhooks/meta", webhooks::delivery);
            if (listen.managementPort().isEmpty()) {
                config.routes.get("/health", ops::health);
                config.routes.get("/health/live", ops::live);
                config.routes.get("/health/ready", ops::ready);
                config.routes.get("/metrics", ops::metrics);
            }
            config.routes.get("/console", console::page);
            config.routes.get("/console/{file}", console::file);
            config.routes.get(OpenApiController.PATH, openApi::document);
            // the operators' API (docs/operations.md, "Admin API"): admin tokens or the console's session only
            config.routes.beforeMatched("/admin/v1/*", admin.gate()::handle);
            config.routes.post("/admin/v1/session", admin.session()::signIn);
            config.routes.get("/admin/v1/session", admin.session()::current);
            config.routes.delete("/admin/v1/session", admin.session()::signOut);
            config.routes.get("/admin/v1/accounts", admin.accounts()::list);
            config.routes.post("/admin/v1/accounts", admin.accounts()::create);
            config.routes.get("/admin/v1/accounts/{id}", admin.accounts()::get);
            config.routes.patch("/admin/v1/accounts/{id}", admin.accounts()::update);
            config.routes.get("/admin/v1/accounts/{id}/tokens", admin.accounts()::listTokens);
            config.routes.post("/admin/v1/accounts/{id}/tokens", admin.accounts()::createToken);
            config.routes.delete("/admin/v1/tokens/{id}", admin.accounts()::revokeToken);
            config.routes.get("/admin/v1/lines", admin.lines()::list);
            config.routes.post("/admin/v1/lines", admin.lines()::create);
            config.routes.get("/admin/v1/lines/{id}", admin.lines()::get);
            config.routes.patch("/admin/v1/lines/{id}", admin.lines()::update);
            config.routes.get("/admin/v1/messages", admin.messages()::list);
            config.routes.get("/admin/v1/messages/{cdls_id}", admin.messages()::get);
            config.routes.get("/admin/v1/events", admin.events()::list);
            config.routes.post("/admin/v1/events/redeliver", admin.events()::redeliver);
            config.routes.after(this::release);
            config.routes.after(RequestIds::end);

            config.routes.exception(WebhookIntake.Refused.class, webhooks::refused);
            config.routes.exception(Refusal.class, adminErrors::refusal);
            // below, each failure answers in the shape of the API it reached: /admin/ its own, the rest the envelope
            config.routes.exception(ApiException.class, byApi(adminErrors::apiException, errors::apiException));
            config.routes.exception(databaseUnavailable, byApi(adminErrors::databaseUnavailable,
                    errors::databaseUnavailable));
            config.routes.exception(HttpResponseException.class, byApi(adminErrors::httpResponse,
                    errors::httpResponse));
            config.routes.exception(Exception.class, byApi(adminErrors::unexpected, errors::unexpected));
        });
        this.management = listen.managementPort().stream().mapToObj(managementPort -> Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.jetty.host = listen.bind();
            config.jetty.port = managementPort;
            config.jetty.modifyServer(server -> server.setErrorHandler(protocolErrors));
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(protocolErrors));
            config.routes.before(RequestIds::begin);
            config.routes.get("/health", ops::health);
            config.routes.get("/health/live", ops::live);
            config.routes.get("/health/ready", ops::ready);
            config.routes.get("/metrics", ops::metrics);
            config.routes.after(RequestIds::end);
            config.routes.exception(HttpResponseException.class, errors::httpResponse);
            config.routes.exception(Exception.class, errors::unexpected);
        })).findFirst();
    }

    /**
     * Where the server listens, and what it logs.
     *
     * @param bind           the address of both ports ({@code 0.0.0.0}: every address)
     * @param port           the main port (0: any free one)
     * @param managementPort when present, /metrics and /health* are served there and not on the main port
     * @param sendLog        one INFO line per send's answer (see {@link SendMetrics})
     */
    public record Listen(String bind, int port, OptionalInt managementPort, boolean sendLog) {
    }

    /** The admin API's handler on its paths ({@link AdminErrors#owns}), the send API's elsewhere. */
    private static <E extends Exception> ExceptionHandler<E> byApi(ExceptionHandler<? super E> admin,
                                                                   ExceptionHandler<? super E> api) {
        return (e, ctx) -> {
            if (AdminErrors.owns(ctx)) {
                admin.handle(e, ctx);
            } else {
                api.handle(e, ctx);
            }
        };
    }

    /** Sets {@link #ACCEPT_QUEUE} on the connectors Javalin adds, as the server starts and before they bind. */
    private static void deepAcceptQueue(Server server) {
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                for (Connector connector : server.getConnectors()) {
                    if (connector instanceof ServerConnector serverConnector) {
                        serverConnector.setAcceptQueueSize(ACCEPT_QUEUE);
                    }
                }
            }
        });
    }

    private static Map<String, Channel> sendRoutes(Channels channels) {
        Map<String, Channel> routes = new java.util.LinkedHashMap<>();
        channels.all().forEach(channel -> channel.sendPaths().forEach(path -> routes.put(path, channel)));
        return Map.copyOf(routes);
    }

    /** Marks a request to a send endpoint with its channel, so every answer it gets is counted, refusals included. */
    private void markSendChannel(Context ctx) {
        Channel channel = sendRoutes.get(matchedPath(ctx));
        if (channel != null) {
            ctx.attribute(SendMetrics.CHANNEL, channel.name());
        }
    }

    private void admit(Context ctx) {
        ctx.attribute(TIMER, Timer.start(registry));
        if (stopping.get() && !HEALTH_ROUTES.contains(ctx.path())) {
            throw ApiException.of(StatusCode.SERVICE_UNAVAILABLE, "Linegate is shutting down; retry on another node");
        }
        // over the limit, refused before anything is read or written: clients faster than the node get a quick 503
        // instead of an ever longer queue, and the heap held by queued requests (about 15 KB each) stays bounded
        if (inFlight.incrementAndGet() > maxConcurrentRequests && !OPS_ROUTES.contains(ctx.path())) {
            inFlight.decrementAndGet();
            overloaded.increment();
            throw ApiException.of(StatusCode.SERVICE_UNAVAILABLE, "this node already has " + maxConcurrentRequests
                    + " requests in flight (LINEGATE_MAX_CONCURRENT_REQUESTS); nothing was done: retry shortly")
                    .withRetryAfter(OVERLOADED_RETRY_AFTER_SECONDS);
        }
        ctx.attribute(ADMITTED, Boolean.TRUE);
    }

    private void release(Context ctx) {
        if (Boolean.TRUE.equals(ctx.attribute(ADMITTED))) {
            ctx.attribute(ADMITTED, Boolean.FALSE);
            lastReleaseNanos = System.nanoTime();
            inFlight.decrementAndGet();
        }
        Timer.Sample sample = ctx.attribute(TIMER);
        if (sample != null) {
            String route = matchedPath(ctx);
            sample.stop(requestTimers.computeIfAbsent(new RequestTags(ctx.method().name(), route, ctx.statusCode()),
                    t -> Timer.builder("http.server.requests")
                            .description("HTTP requests by method, route template (uri) and HTTP status")
                            .tag("method", t.method())
                            .tag("uri", t.uri())
                            .tag("status", Integer.toString(t.status()))
                            // buckets from 1 ms to 60 s, so p99 is computable (histogram_quantile) over nodes
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofMillis(1))
                            .maximumExpectedValue(Duration.ofSeconds(60))
                            .register(registry)));
        }
    }

    private record RequestTags(String method, String uri, int status) {
    }

    /** The route template the request matched, or NOT_FOUND (a bounded tag value, unlike raw paths). */
    private static String matchedPath(Context ctx) {
        var endpoint = ctx.endpoints().matchedHttpEndpoint();
        return endpoint == null ? "NOT_FOUND" : endpoint.path;
    }

    /**
     * Starts listening; a port that is taken throws {@link PortInUseException} (one line, not Jetty's stack trace).
     */
    public HttpServer start() {
        probe(listen.port());
        listen.managementPort().ifPresent(HttpServer.this::probe);
        start(app, listen.port());
        try {
            management.ifPresent(m -> start(m, listen.managementPort().getAsInt()));
        } catch (RuntimeException e) {
            app.stop();
            throw e;
        }
        LOG.info("Linegate listening on {} port {}{}", listen.bind(), app.port(), management
                .map(m -> ", /metrics and /health on port " + m.port()).orElse(""));
        return this;
    }

    private void probe(int port) {
        if (port != 0) {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(listen.bind()))) {
                probe.setReuseAddress(true);
            } catch (IOException taken) {
                throw new PortInUseException(port);
            }
        }
    }

    private static void start(Javalin server, int port) {
        try {
            server.start();
        } catch (JavalinBindException lostRace) {
            throw new PortInUseException(port);
        }
    }

    public int port() {
        return app.port();
    }

    /** The port of /metrics and /health*: the management port when there is one, else the main port. */
    public int managementPort() {
        return management.map(Javalin::port).orElse(app.port());
    }

    /** A route of the table above: an HTTP method and a path. */
    public record Route(String method, String path) {
    }

    /** Every route this server answers, as Javalin registered them (the OpenAPI tests compare them to the document). */
    public List<Route> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .map(endpoint -> new Route(endpoint.method.name(), endpoint.path))
                .toList();
    }

    /**
     * Stops admitting requests, waits up to {@code grace} for those in flight to finish (a send waits for Meta's
     * answer so its row reaches a final state), then stops Jetty.
     */
    public void stop(Duration grace) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        eventFeed.close(); // long polls answer now with what they have, instead of holding the drain up to 30 s
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) {
            LOG.warn("{} requests still in flight after {} s; stopping anyway", inFlight.get(), grace.toSeconds());
        }
        // the count drops in an after-handler, before Javalin writes the answer to the socket; stopping Jetty at once
        // could close a connection whose answer is made but not yet sent (seen once in ServeProcessTest)
        long flushWait = lastReleaseNanos + FLUSH_GRACE.toNanos() - System.nanoTime();
        if (flushWait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(flushWait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        app.stop();
        management.ifPresent(Javalin::stop);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
