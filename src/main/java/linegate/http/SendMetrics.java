package linegate.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts answers of the send endpoints by channel and status_code: {@code linegate_sends_total}. */
final class SendMetrics {
    static final String CHANNEL = "linegate.channel";
    private final MeterRegistry registry;

    SendMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts the answer if the request went to a send endpoint (the route set the channel attribute). */
    void count(Context ctx, int statusCode) {
        String channel = ctx.attribute(CHANNEL);
        if (channel != null) {
            Counter.builder("linegate.sends")
                    .description("Answers of the send endpoints by channel and status_code")
                    .tag("channel", channel)
                    .tag("status_code", Integer.toString(statusCode))
                    .register(registry)
                    .increment();
        }
    }
}
