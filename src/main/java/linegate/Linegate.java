package linegate;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import linegate.auth.AdminAuthenticator;
import linegate.auth.Authenticator;
import linegate.channel.Channels;
import linegate.config.ConfigException;
import linegate.config.LinegateConfig;
import linegate.config.Secret;
import linegate.events.CallbackAddresses;
import linegate.events.CallbackClient;
import linegate.events.CallbackDelivery;
import linegate.events.EventBodies;
import linegate.events.EventFeed;
import linegate.events.EventRetention;
import linegate.events.WindowWarnings;
import linegate.health.LineHealthGauges;
import linegate.health.LineHealthTracker;
import linegate.health.TokenChecks;
import linegate.health.TokenRefresher;
import linegate.pacing.LinePauses;
import linegate.events.RenderedEventBodies;
import linegate.events.RetrySchedule;
import linegate.http.HttpLimits;
import linegate.http.HttpServer;
import linegate.http.admin.AdminApi;
import linegate.http.PortInUseException;
import linegate.http.ReadinessReport;
import linegate.meta.GraphHosts;
import linegate.meta.HttpGraphClient;
import linegate.meta.HttpTokenClient;
import linegate.meta.WebhookSignature;
import linegate.media.HttpMediaCheck;
import linegate.media.MediaCheck;
import linegate.operators.LineView;
import linegate.operators.Operations;
import linegate.operators.UsageReadings;
import linegate.send.AbandonedSendSweeper;
import linegate.send.ConversationLookup;
import linegate.send.LineRateLimiter;
import linegate.send.MessageSender;
import linegate.send.MessageStatusLookup;
import linegate.send.QueuedAttempts;
import linegate.queue.QueueWorker;
import linegate.queue.RetryBackoff;
import linegate.queue.SendBudget;
import linegate.send.NodeHeartbeat;
import linegate.send.UnrecordedOutcomes;
import linegate.store.BatchingMessageLogWriter;
import linegate.store.Conversations;
import linegate.store.Database;
import linegate.store.InboxWriter;
import linegate.store.Line;
import linegate.store.MessageLogWriter;
import linegate.store.Readiness;
import linegate.store.SealedKeys;
import linegate.store.StoreUnavailableException;
import linegate.store.Stores;
import linegate.store.events.EventType;
import linegate.store.operators.AdminSessions;
import linegate.store.operators.AdminTokens;
import linegate.webhook.CommentRetention;
import linegate.webhook.WebhookIntake;
import linegate.webhook.WebhookProcessor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/** The composition root: configuration, then the database, Meta's client, the services, and the HTTP server. */
public final class Linegate implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Linegate.class);
    private final Stores stores;
    private final MessageLogWriter logWriter;
    private final HttpServer http;
    private final WebhookProcessor webhooks;
    private final ScheduledExecutorService maintenance;
    private final UnrecordedOutcomes unrecorded;
    private final long nodeId;
    private final Clock clock;
    private final Optional<CallbackDelivery> callbacks;
    private final QueueWorker queue;
    private final Duration graphTimeout;
    private final HttpGraphClient graph;
    private final MediaCheck media;
    private final TokenWork tokenWork;

    /** The token check and refresh's own resources, closed with the node. */
    private record TokenWork(HttpTokenClient client, Optional<TokenChecks> checks) {
        void close() {
            checks.ifPresent(TokenChecks::close);
            client.close();
        }
    }

    private Linegate(Stores stores, MessageLogWriter logWriter, HttpServer http, WebhookProcessor webhooks,
                     ScheduledExecutorService maintenance, UnrecordedOutcomes unrecorded, long nodeId, Clock clock,
                     Optional<CallbackDelivery> callbacks, QueueWorker queue, Duration graphTimeout,
                     HttpGraphClient graph, MediaCheck media, TokenWork tokenWork) {
        this.media = media;
        this.tokenWork = tokenWork;
        this.callbacks = callbacks;
        this.queue = queue;
        this.graphTimeout = graphTimeout;
        this.graph = graph;
        this.unrecorded = unrecorded;
        this.nodeId = nodeId;
        this.clock = clock;
        this.stores = stores;
        this.logWriter = logWriter;
        this.http = http;
        this.webhooks = webhooks;
        this.maintenance = maintenance;
    }

    public static Linegate start(LinegateConfig config, Clock clock) {
        // callbacks post the feed's event object, byte for byte
        return start(config, clock, Optional.of(stores -> new RenderedEventBodies(stores.outbox(), stores.log())));
    }

    /** With {@code eventBodies}, this node also delivers the accounts' callbacks. */
    public static Linegate start(LinegateConfig config, Clock clock, Optional<Function<Stores, EventBodies>> eventBodies) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        BuildInfo.ofThisJar().register(registry);

        var db = config.database();
        Stores stores = Stores.open(db.url(), db.user(), db.password().value(), config.masterKey().get().bytes(), clock,
                config.lookupRefresh(), Optional.of(registry));
        refuseAnotherMasterKey(config, stores);
        stores.lookups().refresh();
        MessageLogWriter logWriter = logWriter(config, stores, registry);
        long startedAt = clock.millis();
        long nodeId = stores.nodes().register(startedAt);
        reconcileEarlierProcesses(stores, nodeId, clock);
        NodeHeartbeat heartbeat = new NodeHeartbeat(stores.nodes(), nodeId, clock, startedAt,
                stores.db().kind() == Database.Kind.SQLITE);
        heartbeat.run(); // counts the live nodes before the first send: a line's budget is shared from the start
        Gauge.builder("linegate.nodes.live", heartbeat, NodeHeartbeat::liveNodes)
                .description("Live nodes sharing each line's send budget, as this node last counted them").register(registry);
        UnrecordedOutcomes unrecorded = new UnrecordedOutcomes(logWriter, UnrecordedOutcomes.DEFAULT_CAPACITY, registry);
        Channels channels = Channels.standard();
        LinePauses pauses = new LinePauses(stores.pauses(), config.usagePausePercent(), clock, registry);
        pauses.refresh();
        GraphHosts graphHosts = new GraphHosts(config.graphUrl(), config.tokens().instagramGraphUrl());
        HttpGraphClient graph = new HttpGraphClient(graphHosts, config.graphVersion(), config.graphTimeout(),
                config.graphMaxInFlight(), registry);
        // one budget per line for direct and queued sends alike, shared by the live nodes
        LineRateLimiter limiter = new LineRateLimiter(config.lineSendsPerSecond(), heartbeat::liveNodes);
        LineHealthTracker health = new LineHealthTracker(stores.lines());
        // its own few connections: the token work never takes a send's Graph slot
        HttpTokenClient tokenClient = new HttpTokenClient(graphHosts, config.graphVersion(), config.graphTimeout(),
                TokenChecks.CONCURRENCY, registry);
        LineHealthGauges healthGauges = new LineHealthGauges(stores.lines().tokens(), registry);
        healthGauges.run();
        Optional<TokenChecks> tokenChecks = config.tokens().checks() ? Optional.of(new TokenChecks(
                stores.lines().tokens(), tokenClient, health, clock, config.tokens().checkEvery())) : Optional.empty();
        MediaCheck media = mediaCheck(config.media(), clock, registry);
        MessageSender sender = new MessageSender(stores.lookups(), logWriter, stores.log(), stores.conversations(),
                stores.comments(), graph, limiter, unrecorded, health, pauses, media, nodeId, clock);
        LinegateConfig.QueueConfig q = config.queue();
        QueueWorker queue = new QueueWorker(stores.queue(), logWriter, new QueuedAttempts(stores.lookups(),
                stores.conversations(), stores.comments(), graph, channels, health, pauses, media, clock),
                queueBudget(pauses, limiter, stores),
                unrecorded, new QueueWorker.Settings(q.maxAge(), new RetryBackoff(q.retryBase(), new java.util.Random()),
                        q.concurrency(), q.poll(), config.logging().sendLog()), nodeId, clock, registry);
        Gauge.builder("linegate.queue.depth", stores.queue(), sq -> sq.depth())
                .description("Queued sends waiting for a worker (in flight ones not counted)").register(registry);
        WebhookProcessor webhooks = new WebhookProcessor(stores.inbox(), channels, stores.lines(), stores.log(),
                stores.conversations(), stores.comments(), clock, registry);
        // with group commit, deliveries join the log writer's batches: one fsync for a burst, each 200 after its commit
        InboxWriter inboxWriter = logWriter instanceof BatchingMessageLogWriter batching ? batching.deliveries()
                : stores.inbox();
        WebhookIntake intake = new WebhookIntake(new WebhookSignature(config.webhookSecrets()),
                config.verifyToken().map(Secret::value), inboxWriter, webhooks, clock, registry);
        Gauge.builder("linegate.webhook.backlog", stores.inbox(), inbox -> inbox.backlog())
                .description("Webhook deliveries stored but not yet applied").register(registry);
        for (EventType type : EventType.values()) {
            FunctionCounter.builder("linegate.events.written", stores.outbox(), outbox -> outbox.created(type))
                    .description("Events written to the outbox (committed)").tag("type", type.wireName())
                    .register(registry);
        }
        // long polls hold request slots: at most half of them, so sends always find room
        EventFeed feed = new EventFeed(stores.outbox(), stores.log(), Math.max(1, config.maxConcurrentRequests() / 2));
        ConversationLookup conversations = new ConversationLookup(stores.lookups(), stores.conversations());
        HttpServer http = new HttpServer(new HttpServer.Listen(config.network().bind(), config.port(),
                config.network().managementPort(), config.logging().sendLog()),
                new HttpLimits(config.maxBodyBytes(), config.maxConcurrentRequests(),
                        config.requestReadTimeout()), channels, new Authenticator(stores.lookups()), sender,
                new MessageStatusLookup(stores.log(), conversations), conversations, feed, intake,
                readiness(stores, logWriter, clock),
                StoreUnavailableException.class, registry, adminApi(config, stores, pauses, clock));

        // a thread per periodic task, so a long sweep never holds back another (notably noticing a revoked token)
        ScheduledExecutorService maintenance = Executors.newScheduledThreadPool(14,
                Thread.ofPlatform().name("linegate-maintenance-", 1).daemon().factory());
        long beatMillis = NodeHeartbeat.EVERY.toMillis();
        maintenance.scheduleWithFixedDelay(heartbeat, beatMillis, beatMillis, TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(unrecorded::retry, 1, 1, TimeUnit.SECONDS);
        // a pause another node recorded holds here within about a second
        maintenance.scheduleWithFixedDelay(pauses::refresh, 1, 1, TimeUnit.SECONDS);
        maintenance.scheduleWithFixedDelay(new AbandonedSendSweeper(stores.log(), unrecorded, heartbeat, clock,
                config.graphTimeout()), 0, 5, TimeUnit.SECONDS);
        maintenance.scheduleWithFixedDelay(webhooks::sweep, 0, 30, TimeUnit.SECONDS);
        maintenance.scheduleWithFixedDelay(new EventRetention(stores.outbox(), stores.inbox(), config.eventRetention(),
                clock), 60, EventRetention.EVERY.toSeconds(), TimeUnit.SECONDS);
        maintenance.scheduleWithFixedDelay(new CommentRetention(stores.comments(), clock), 90,
                CommentRetention.EVERY.toSeconds(), TimeUnit.SECONDS);
        if (!config.windowWarning().isZero()) {
            maintenance.scheduleWithFixedDelay(new WindowWarnings(stores.conversations(), Conversations.STANDARD_WINDOW,
                    config.windowWarning(), clock), 5, WindowWarnings.EVERY.toSeconds(), TimeUnit.SECONDS);
        }
        // when each API token was last used: noted in memory by every send, written once a minute
        maintenance.scheduleWithFixedDelay(stores.tokens()::flushUses, 60, 60, TimeUnit.SECONDS);
        maintenance.scheduleWithFixedDelay(new TokenRefresher(stores.lines().tokens(), tokenClient, health, clock), 0,
                TokenRefresher.EVERY.toSeconds(), TimeUnit.SECONDS);
        tokenChecks.ifPresent(checks -> {
            // the start-up round runs beside start-up, so readiness never waits on Meta
            maintenance.schedule(checks::startupRound, 0, TimeUnit.SECONDS);
            long everyMinutes = config.tokens().checkEvery().toMinutes();
            maintenance.scheduleWithFixedDelay(checks::periodicRound, everyMinutes, everyMinutes, TimeUnit.MINUTES);
        });
        maintenance.scheduleWithFixedDelay(healthGauges, LineHealthGauges.EVERY.toSeconds(),
                LineHealthGauges.EVERY.toSeconds(), TimeUnit.SECONDS);
        long refreshMillis = config.lookupRefresh().toMillis();
        maintenance.scheduleWithFixedDelay(stores.lookups()::refresh, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
        Optional<CallbackDelivery> callbacks = eventBodies.map(bodies -> callbacks(config, stores, bodies.apply(stores),
                nodeId, clock, registry));
        callbacks.ifPresent(delivery -> {
            // the poll only claims and starts requests (they run on the client's own threads), so it never waits on an endpoint
            maintenance.scheduleWithFixedDelay(delivery::poll, 0, 200, TimeUnit.MILLISECONDS);
            maintenance.scheduleWithFixedDelay(delivery::measureBacklog, 0, 15, TimeUnit.SECONDS);
        });
        try {
            http.start();
            queue.start();
        } catch (RuntimeException e) {
            maintenance.shutdownNow();
            queue.close(Duration.ZERO);
            feed.close();
            callbacks.ifPresent(CallbackDelivery::close);
            webhooks.close();
            graph.close();
            tokenChecks.ifPresent(TokenChecks::close);
            tokenClient.close();
            closeMediaCheck(media);
            stopNode(stores, nodeId, clock);
            closeLogWriter(logWriter);
            stores.close();
            if (e instanceof PortInUseException taken) {
                String variable = config.network().managementPort().equals(OptionalInt.of(taken.port()))
                        ? "LINEGATE_MANAGEMENT_PORT" : "LINEGATE_PORT";
                throw new ConfigException(variable + " " + taken.port() + " is already in use by another process:"
                        + " stop that process, or set " + variable + " to a free port");
            }
            throw e;
        }
        // once serving: a start that fails says one line, its reason
        LOG.info(config.summary());
        return new Linegate(stores, logWriter, http, webhooks, maintenance, unrecorded, nodeId, clock, callbacks, queue,
                config.graphTimeout(), graph, media, new TokenWork(tokenClient, tokenChecks));
    }

    /** The operators' API over the same operations as the command line, its callers admin tokens and sessions. */
    private static AdminApi adminApi(LinegateConfig config, Stores stores, LinePauses pauses, Clock clock) {
        CallbackAddresses addresses = new CallbackAddresses(config.callbacks().allowPrivate());
        // the lines' usage as this node read it: each node answers with its own readings (contract §12)
        UsageReadings usage = lineId -> pauses.lastUsage(lineId).map(u -> new LineView.Usage(u.figures().app(),
                u.figures().business(), u.figures().page(), u.readAt()));
        return new AdminApi(Operations.over(stores, () -> addresses, pauses::refresh, usage, clock),
                new AdminAuthenticator(new AdminTokens(stores.db(), clock), new AdminSessions(stores.db(), clock)),
                config.maxBodyBytes(), AdminSessions.MAX_AGE.toSeconds(), AdminSessions.IDLE_TIMEOUT.toSeconds());
    }

    /**
     * A node whose master key opens none of the stored page tokens and callback secrets would answer 500 to every
     * send while its health checks say UP: it refuses to start instead (docs/operations.md, "The master key"). One
     * that opens some of them starts, and names the others.
     */
    private static void refuseAnotherMasterKey(LinegateConfig config, Stores stores) {
        SealedKeys.Report keys = stores.sealedKeys().read();
        Optional<String> refusal = keys.refusal(config.masterKeyOrigin());
        if (refusal.isPresent()) {
            stores.close();
            throw new ConfigException(refusal.get());
        }
        keys.unreadable().ifPresent(LOG::warn);
    }

    /**
     * The media check of contract §11, or none with {@code LINEGATE_MEDIA_CHECK=false}. Hosts are judged by the same
     * address rules as callback URLs (events.CallbackAddresses, handed in here so that media need not import events).
     */
    private static MediaCheck mediaCheck(LinegateConfig.MediaConfig config, Clock clock, MeterRegistry registry) {
        if (!config.check()) {
            return MediaCheck.off();
        }
        return new HttpMediaCheck(config.allowPrivate(), CallbackAddresses::refusal, config.timeout(), clock, registry);
    }

    private static void closeMediaCheck(MediaCheck media) {
        if (media instanceof HttpMediaCheck http) {
            http.close();
        }
    }

    /**
     * What a queued send waits for before a worker claims it: the end of a pause on Meta's usage, then one send of the
     * line's budget (its own or the default, shared by the live nodes). Reads memory only: the look-up cache.
     */
    private static SendBudget queueBudget(LinePauses pauses, LineRateLimiter limiter, Stores stores) {
        return (accountId, lineId, kind) -> {
            Optional<LinePauses.Active> paused = pauses.pausedFor(lineId);
            if (paused.isPresent()) {
                return OptionalLong.of(paused.get().secondsLeft());
            }
            return limiter.tryAcquireSmoothly(lineId, stores.lookups().lineForAccount(accountId, lineId)
                    .map(Line::sendsPerSecond).orElse(OptionalInt.empty()), kind);
        };
    }

    private static CallbackDelivery callbacks(LinegateConfig config, Stores stores, EventBodies bodies, long nodeId,
                                              Clock clock, MeterRegistry registry) {
        LinegateConfig.CallbackConfig c = config.callbacks();
        return new CallbackDelivery(stores.deliveries(), stores.callbacks(), bodies,
                new CallbackClient(new CallbackAddresses(c.allowPrivate())),
                new RetrySchedule(c.retryBase(), new java.util.Random()), c.maxAge(), c.concurrency(), nodeId,
                clock, registry);
    }

    /**
     * The embedded database serves one node, so every row still accepted at start was left by an earlier process (a
     * kill, a crash) and is unknown at once, and every callback lease it held is free again. On PostgreSQL the
     * sweeper decides by the other nodes' heartbeats, and a dead node's leases run out.
     */
    private static void reconcileEarlierProcesses(Stores stores, long nodeId, Clock clock) {
        if (stores.db().kind() == Database.Kind.SQLITE) {
            int n = stores.log().markLeftByEarlierProcessesAsUnknown(nodeId, clock.millis()).size();
            if (n > 0) {
                LOG.warn("marked {} rows left accepted by an earlier process as unknown", n);
            }
            int leases = stores.deliveries().releaseLeasesOfOtherNodes(nodeId);
            if (leases > 0) {
                LOG.warn("freed {} callback leases left by an earlier process; those events are posted again", leases);
            }
        }
    }

    private static void stopNode(Stores stores, long nodeId, Clock clock) {
        try {
            stores.nodes().stop(nodeId, clock.millis());
        } catch (RuntimeException e) {
            LOG.warn("node {} could not record its stop: {}; other nodes will see its heartbeat go silent",
                    nodeId, e.getMessage());
        }
    }

    /**
     * Group commit (many requests' log writes in one transaction) unless the batch size is 1, the plain design of one
     * transaction per write, kept for comparison.
     */
    private static MessageLogWriter logWriter(LinegateConfig config, Stores stores, MeterRegistry registry) {
        if (config.logBatchSize() == 1) {
            return stores.log();
        }
        BatchingMessageLogWriter batching = new BatchingMessageLogWriter(stores.log(), config.logBatchSize(),
                config.logBatchWait());
        FunctionCounter.builder("linegate.log.batches", batching, b -> b.stats().batches())
                .description("Message log transactions committed by the group-commit writer").register(registry);
        FunctionCounter.builder("linegate.log.batched.writes", batching, b -> b.stats().writes())
                .description("Message log writes committed by the group-commit writer").register(registry);
        return batching;
    }

    private static Supplier<ReadinessReport> readiness(Stores stores, MessageLogWriter logWriter, Clock clock) {
        Readiness readiness = new Readiness(stores.db(), logWriter instanceof BatchingMessageLogWriter batching
                ? Optional.of(batching) : Optional.empty(), clock);
        return () -> {
            Readiness.Report report = readiness.check();
            return new ReadinessReport(report.database(), report.logWriter());
        };
    }

    private static void closeLogWriter(MessageLogWriter logWriter) {
        if (logWriter instanceof BatchingMessageLogWriter batching) {
            batching.close();
        }
    }

    public int port() {
        return http.port();
    }

    /** Where /metrics and /health* are served: LINEGATE_MANAGEMENT_PORT's port, or the main one. */
    public int managementPort() {
        return http.managementPort();
    }

    public Stores stores() {
        return stores;
    }

    /** The HTTP server's routes (for the tests that keep the OpenAPI document true to them). */
    public List<HttpServer.Route> routes() {
        return http.routes();
    }

    /**
     * Graceful: in-flight requests finish (up to 30 s), queued sends in flight get Meta's answer recorded (those
     * still queued stay for the next start), queued webhook deliveries are applied, queued log writes are committed,
     * then the pool closes.
     */
    @Override
    public void close() {
        http.stop(Duration.ofSeconds(30));
        maintenance.shutdownNow();
        // sends in flight wait for a slot and then for Meta, each at most the Graph timeout
        queue.close(graphTimeout.multipliedBy(2).plusSeconds(5));
        callbacks.ifPresent(CallbackDelivery::close);
        webhooks.close();
        graph.close();
        tokenWork.close();
        closeMediaCheck(media);
        unrecorded.abandon();
        stores.tokens().flushUses();
        stopNode(stores, nodeId, clock);
        closeLogWriter(logWriter);
        stores.close();
    }
}
