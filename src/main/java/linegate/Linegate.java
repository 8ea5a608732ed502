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
import linegate.auth.Authenticator;
import linegate.config.LinegateConfig;
import linegate.config.Secret;
import linegate.http.HttpLimits;
import linegate.http.HttpServer;
import linegate.meta.HttpGraphClient;
import linegate.meta.WebhookSignature;
import linegate.send.AbandonedSendSweeper;
import linegate.send.LineRateLimiter;
import linegate.send.MessageSender;
import linegate.send.MessageStatusLookup;
import linegate.store.BatchingMessageLogWriter;
import linegate.store.MessageLogWriter;
import linegate.store.Stores;
import linegate.webhook.WebhookIntake;
import linegate.webhook.WebhookProcessor;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The composition root: configuration, then the database, Meta's client, the services, and the HTTP server. */
public final class Linegate implements AutoCloseable {
    private final Stores stores;
    private final MessageLogWriter logWriter;
    private final HttpServer http;
    private final WebhookProcessor webhooks;
    private final ScheduledExecutorService maintenance;

    private Linegate(Stores stores, MessageLogWriter logWriter, HttpServer http, WebhookProcessor webhooks,
                     ScheduledExecutorService maintenance) {
        this.stores = stores;
        this.logWriter = logWriter;
        this.http = http;
        this.webhooks = webhooks;
        this.maintenance = maintenance;
    }

    public static Linegate start(LinegateConfig config, Clock clock) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        var db = config.database();
        Stores stores = Stores.open(db.url(), db.user(), db.password().value(), config.masterKey().get().bytes(), clock,
                config.lookupRefresh());
        stores.lookups().refresh();
        MessageLogWriter logWriter = logWriter(config, stores, registry);
        MessageSender sender = new MessageSender(stores.lookups(), logWriter, stores.log(), stores.conversations(),
                new HttpGraphClient(config.graphUrl(), config.graphVersion(), config.graphTimeout(),
                        config.graphMaxInFlight(), registry),
                new LineRateLimiter(config.lineSendsPerSecond()), clock);
        WebhookProcessor webhooks = new WebhookProcessor(stores.inbox(), stores.lines(), stores.events(),
                stores.conversations(), clock, registry);
        WebhookIntake intake = new WebhookIntake(new WebhookSignature(config.webhookSecrets()),
                config.verifyToken().map(Secret::value), stores.inbox(), webhooks, clock, registry);
        Gauge.builder("linegate.webhook.backlog", stores.inbox(), inbox -> inbox.backlog())
                .description("Webhook deliveries stored but not yet applied").register(registry);
        HttpServer http = new HttpServer(config.port(),
                new HttpLimits(config.maxBodyBytes(), config.maxConcurrentRequests(),
                        config.requestReadTimeout()), new Authenticator(stores.lookups()), sender,
                new MessageStatusLookup(stores.log()), intake, stores.db()::ping, registry);

        // a thread per periodic task, so a long sweep never holds back another (notably noticing a revoked token)
        ScheduledExecutorService maintenance = Executors.newScheduledThreadPool(3,
                Thread.ofPlatform().name("linegate-maintenance-", 1).daemon().factory());
        maintenance.scheduleWithFixedDelay(new AbandonedSendSweeper(stores.log(), clock, config.graphTimeout()),
                0, 60, TimeUnit.SECONDS);
        maintenance.scheduleWithFixedDelay(webhooks::sweep, 0, 30, TimeUnit.SECONDS);
        long refreshMillis = config.lookupRefresh().toMillis();
        maintenance.scheduleWithFixedDelay(stores.lookups()::refresh, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
        try {
            http.start();
        } catch (RuntimeException e) {
            maintenance.shutdownNow();
            webhooks.close();
            closeLogWriter(logWriter);
            stores.close();
            throw e;
        }
        return new Linegate(stores, logWriter, http, webhooks, maintenance);
    }

    /**
     * Group commit (many requests' log writes in one transaction) unless the batch size is 1, the plain design of one
     * transaction per write, kept for comparison.
     */
    private static MessageLogWriter logWriter(LinegateConfig config, Stores stores, MeterRegistry registry) {
        if (config.logBatchSize() == 1) {
            return stores.log();
        }
        BatchingMessageLogWriter batching = new BatchingMessageLogWriter(stores.db(), config.logBatchSize(),
                config.logBatchWait());
        FunctionCounter.builder("linegate.log.batches", batching, b -> b.stats().batches())
                .description("Message log transactions committed by the group-commit writer").register(registry);
        FunctionCounter.builder("linegate.log.batched.writes", batching, b -> b.stats().writes())
                .description("Message log writes committed by the group-commit writer").register(registry);
        return batching;
    }

    private static void closeLogWriter(MessageLogWriter logWriter) {
        if (logWriter instanceof BatchingMessageLogWriter batching) {
            batching.close();
        }
    }

    public int port() {
        return http.port();
    }

    public Stores stores() {
        return stores;
    }

    /**
     * Graceful: in-flight requests finish (up to 30 s), queued webhook deliveries are applied, queued log writes are
     * committed, then the pool closes.
     */
    @Override
    public void close() {
        http.stop(Duration.ofSeconds(30));
        maintenance.shutdownNow();
        webhooks.close();
        closeLogWriter(logWriter);
        stores.close();
    }
}
