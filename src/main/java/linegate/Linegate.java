package linegate;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import linegate.auth.Authenticator;
import linegate.config.LinegateConfig;
import linegate.http.HttpServer;
import linegate.meta.GraphClient;
import linegate.meta.HttpGraphClient;
import linegate.send.AbandonedSendSweeper;
import linegate.send.LineRateLimiter;
import linegate.send.MessageSender;
import linegate.send.MessageStatusLookup;
import linegate.store.Stores;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** The composition root: configuration, then the database, Meta's client, the services, and the HTTP server. */
public final class Linegate implements AutoCloseable {
    private final Stores stores;
    private final HttpServer http;
    private final ScheduledExecutorService maintenance;

    private Linegate(Stores stores, HttpServer http, ScheduledExecutorService maintenance) {
        this.stores = stores;
        this.http = http;
        this.maintenance = maintenance;
    }

    public static Linegate start(LinegateConfig config, Clock clock) {
        return start(config, clock, registry -> new HttpGraphClient(config.graphUrl(), config.graphVersion(),
                config.graphTimeout(), registry));
    }

    /** Starts with another Graph client (tests use a fake); everything else is as in production. */
    public static Linegate start(LinegateConfig config, Clock clock, Function<PrometheusMeterRegistry, GraphClient> graphClient) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        var db = config.database();
        Stores stores = Stores.open(db.url(), db.user(), db.password().value(), config.masterKey().get().bytes(), clock);
        MessageSender sender = new MessageSender(stores.lines(), stores.log(), stores.log(), graphClient.apply(registry),
                new LineRateLimiter(config.lineSendsPerSecond()), clock);
        HttpServer http = new HttpServer(config.port(), config.maxBodyBytes(), new Authenticator(stores.tokens()), sender,
                new MessageStatusLookup(stores.log()),
                stores.db()::ping, registry);

        ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("linegate-maintenance").daemon().factory());
        maintenance.scheduleWithFixedDelay(new AbandonedSendSweeper(stores.log(), clock, config.graphTimeout()),
                0, 60, TimeUnit.SECONDS);
        try {
            http.start();
        } catch (RuntimeException e) {
            maintenance.shutdownNow();
            stores.close();
            throw e;
        }
        return new Linegate(stores, http, maintenance);
    }

    public int port() {
        return http.port();
    }

    public Stores stores() {
        return stores;
    }

    /** Graceful: in-flight requests finish (up to 30 s), then the pool closes. */
    @Override
    public void close() {
        http.stop(Duration.ofSeconds(30));
        maintenance.shutdownNow();
        stores.close();
    }
}
