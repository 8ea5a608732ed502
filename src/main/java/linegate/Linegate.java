package linegate;

import io.micrometer.core.instrument.Gauge;
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
import linegate.http.HttpServer;
import linegate.meta.HttpGraphClient;
import linegate.meta.WebhookSignature;
import linegate.send.AbandonedSendSweeper;
import linegate.send.LineRateLimiter;
import linegate.send.MessageSender;
import linegate.send.MessageStatusLookup;
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
    private final HttpServer http;
    private final WebhookProcessor webhooks;
    private final ScheduledExecutorService maintenance;

    private Linegate(Stores stores, HttpServer http, WebhookProcessor webhooks, ScheduledExecutorService maintenance) {
        this.stores = stores;
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
        Stores stores = Stores.open(db.url(), db.user(), db.password().value(), config.masterKey().get().bytes(), clock);
        MessageSender sender = new MessageSender(stores.lines(), stores.log(), stores.log(), stores.conversations(),
                new HttpGraphClient(config.graphUrl(), config.graphVersion(), config.graphTimeout(), registry),
                new LineRateLimiter(config.lineSendsPerSecond()), clock);
        WebhookProcessor webhooks = new WebhookProcessor(stores.inbox(), stores.lines(), stores.events(),
                stores.conversations(), clock, registry);
        WebhookIntake intake = new WebhookIntake(new WebhookSignature(config.webhookSecrets()),
                config.verifyToken().map(Secret::value), stores.inbox(), webhooks, clock, registry);
        Gauge.builder("linegate.webhook.backlog", stores.inbox(), inbox -> inbox.backlog())
                .description("Webhook deliveries stored but not yet applied").register(registry);
        HttpServer http = new HttpServer(config.port(), config.maxBodyBytes(), new Authenticator(stores.tokens()), sender,
                new MessageStatusLookup(stores.log()), intake, stores.db()::ping, registry);

        ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("linegate-maintenance").daemon().factory());
        maintenance.scheduleWithFixedDelay(new AbandonedSendSweeper(stores.log(), clock, config.graphTimeout()),
                0, 60, TimeUnit.SECONDS);
        maintenance.scheduleWithFixedDelay(webhooks::sweep, 0, 30, TimeUnit.SECONDS);
        try {
            http.start();
        } catch (RuntimeException e) {
            maintenance.shutdownNow();
            webhooks.close();
            stores.close();
            throw e;
        }
        return new Linegate(stores, http, webhooks, maintenance);
    }

    public int port() {
        return http.port();
    }

    public Stores stores() {
        return stores;
    }

    /** Graceful: in-flight requests finish (up to 30 s), queued webhook deliveries are applied, then the pool closes. */
    @Override
    public void close() {
        http.stop(Duration.ofSeconds(30));
        maintenance.shutdownNow();
        webhooks.close();
        stores.close();
    }
}
