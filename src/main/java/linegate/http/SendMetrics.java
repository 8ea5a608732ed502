package linegate.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import linegate.api.MetaErrorView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts answers of the send endpoints by channel and status_code: {@code linegate_sends_total}. Each tag set's counter
 * is registered once and kept: a registry look-up builds the meter's id and hashes it on every send. With the send
 * log on ({@code LINEGATE_SEND_LOG}), each answer is also one INFO line: its cdls_id, line, channel, status code,
 * Meta's code and subcode, and the latency; never the message or a token.
 */
final class SendMetrics {
    static final String CHANNEL = "linegate.channel";
    /** The line id of a send whose parameters were read (a refusal before that has none). */
    static final String LINE = "linegate.line";
    private static final Logger LOG = LoggerFactory.getLogger("linegate.sends");
    private final MeterRegistry registry;
    private final boolean sendLog;
    private final Map<Tags, Counter> counters = new ConcurrentHashMap<>();

    private record Tags(String channel, int statusCode) {
    }

    SendMetrics(MeterRegistry registry, boolean sendLog) {
        this.registry = registry;
        this.sendLog = sendLog;
    }

    void count(Context ctx, int statusCode) {
        count(ctx, statusCode, null, null);
    }

    /** Counts (and logs) the answer if the request went to a send endpoint (the route set the channel attribute). */
    void count(Context ctx, int statusCode, Long cdlsId, MetaErrorView metaError) {
        String channel = ctx.attribute(CHANNEL);
        if (channel == null) {
            return;
        }
        counters.computeIfAbsent(new Tags(channel, statusCode), t -> Counter.builder("linegate.sends")
                        .description("Answers of the send endpoints by channel and status_code")
                        .tag("channel", t.channel())
                        .tag("status_code", Integer.toString(t.statusCode()))
                        .register(registry))
                .increment();
        if (sendLog && LOG.isInfoEnabled()) {
            Long started = ctx.attribute(RequestIds.STARTED);
            Long line = ctx.attribute(LINE);
            LOG.info("send cdls_id={} line={} channel={} status_code={} meta_code={} meta_subcode={} latency_ms={}",
                    cdlsId == null ? "-" : cdlsId, line == null ? "-" : line, channel, statusCode,
                    metaError == null || metaError.code() == null ? "-" : metaError.code(),
                    metaError == null || metaError.subcode() == null ? "-" : metaError.subcode(),
                    started == null ? "-" : (System.nanoTime() - started) / 1_000_000);
        }
    }
}
