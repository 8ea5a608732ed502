package linegate.http;

import io.javalin.http.Context;
import org.slf4j.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Every request's id (docs/operations.md, "Request ids"): the caller's {@code X-Request-Id} when it is sane (1 to 128
 * letters, digits and {@code . _ - : / + =}; anything else could forge or break a log line), otherwise a random UUID.
 * It is answered in the {@code X-Request-Id} header, on errors too (the {@code {"return":…}} envelope of contract §3
 * stays as it is), and it is in the MDC as {@code request_id} while the request runs, so every log line of the
 * request carries it.
 */
final class RequestIds {
    static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "request_id";
    /** When the request was admitted ({@link System#nanoTime}), for the send log's latency. */
    static final String STARTED = "linegate.started";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

    private RequestIds() {
    }

    static String acceptOrGenerate(String given) {
        return given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    /** First of every request's handlers: the id in the answer and the MDC, and the start time. */
    static void begin(Context ctx) {
        ctx.attribute(STARTED, System.nanoTime());
        String id = acceptOrGenerate(ctx.header(HEADER));
        ctx.header(HEADER, id);
        MDC.put(MDC_KEY, id);
    }

    /** Last of every request's handlers: the thread (a virtual thread of Jetty's) carries no id on. */
    static void end(Context ctx) {
        MDC.remove(MDC_KEY);
    }
}
