package linegate.http;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code /health} (the database answers) and {@code /metrics} (Prometheus text format). */
final class OpsController {
    private final BooleanSupplier databaseUp;
    private final PrometheusMeterRegistry prometheus;

    OpsController(BooleanSupplier databaseUp, PrometheusMeterRegistry prometheus) {
        this.databaseUp = databaseUp;
        this.prometheus = prometheus;
    }

    void health(Context ctx) {
        boolean up = databaseUp.getAsBoolean();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("database", up ? "UP" : "DOWN");
        ctx.status(up ? 200 : 503).json(body);
    }

    void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(prometheus.scrape());
    }
}
