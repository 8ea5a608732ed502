package linegate.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts answers of the send endpoints by channel and status_code: {@code linegate_sends_total}. Each tag set's counter
 * is registered once and kept: a registry look-up builds the meter's id and hashes it on every send.
 */
final class SendMetrics {
    static final String CHANNEL = "linegate.channel";
    private final MeterRegistry registry;
    private final Map<Tags, Counter> counters = new ConcurrentHashMap<>();

    private record Tags(String channel, int statusCode) {
    }

    SendMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts the answer if the request went to a send endpoint (the route set the channel attribute). */
    void count(Context ctx, int statusCode) {
        String channel = ctx.attribute(CHANNEL);
        if (channel != null) {
            counters.computeIfAbsent(new Tags(channel, statusCode), t -> Counter.builder("linegate.sends")
                            .description("Answers of the send endpoints by channel and status_code")
                            .tag("channel", t.channel())
                            .tag("status_code", Integer.toString(t.statusCode()))
                            .register(registry))
                    .increment();
        }
    }
}
