package linegate.http;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Health and metrics. {@code /health/live}: the process answers HTTP (for an orchestrator's liveness probe: failing it
 * means restart). {@code /health/ready}: this node can serve sends now (for a load balancer: failing it means send
 * elsewhere): the database accepts a write, the message log writer is not failing, and the node is not shutting
 * down. {@code /health} is readiness with its original body, for the checks that already use it. {@code /metrics}:
 * Prometheus text format.
 */
final class OpsController {
    private final Supplier<ReadinessReport> readiness;
    private final BooleanSupplier stopping;
    private final PrometheusMeterRegistry prometheus;

    OpsController(Supplier<ReadinessReport> readiness, BooleanSupplier stopping, PrometheusMeterRegistry prometheus) {
        this.readiness = readiness;
        this.stopping = stopping;
        this.prometheus = prometheus;
    }

    /** {@code {"status","database"}} as before; database is UP when it accepts writes and the log writer is healthy. */
    void health(Context ctx) {
        ReadinessReport r = readiness.get();
        boolean ready = r.ready() && !stopping.getAsBoolean();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", upOrDown(ready));
        body.put("database", upOrDown(r.ready()));
        ctx.status(ready ? 200 : 503).json(body);
    }

    void ready(Context ctx) {
        ReadinessReport r = readiness.get();
        boolean stops = stopping.getAsBoolean();
        boolean ready = r.ready() && !stops;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", upOrDown(ready));
        body.put("database", upOrDown(r.database()));
        body.put("log_writer", upOrDown(r.logWriter()));
        body.put("stopping", stops);
        ctx.status(ready ? 200 : 503).json(body);
    }

    /** Answers while the process serves HTTP at all, shutting down included: a drain is no reason to be killed. */
    void live(Context ctx) {
        ctx.json(Map.of("status", "UP"));
    }

    void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(prometheus.scrape());
    }

    private static String upOrDown(boolean up) {
        return up ? "UP" : "DOWN";
    }
}
