package linegate.http.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import linegate.api.ApiException;
import linegate.api.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The admin API's error answers, {@code {"error":{"code":"…","message":"…"}}} with the fitting HTTP status: the one
 * place where refusals and failures on {@code /admin/} become HTTP (the send API's envelope is {@code ErrorMapper}'s).
 * Messages never carry a secret; a Linegate fault is 500 with no details, its stack trace in Linegate's own log.
 */
public final class AdminErrors {
    private static final Logger LOG = LoggerFactory.getLogger(AdminErrors.class);
    static final ObjectMapper JSON = new ObjectMapper();
    /** The paths whose errors are written here. */
    public static final String PREFIX = "/admin/";

    public static boolean owns(Context ctx) {
        return ctx.path().startsWith(PREFIX);
    }

    public void refusal(Refusal e, Context ctx) {
        write(ctx, e.kind().httpStatus(), e.kind().code(), e.getMessage());
    }

    /** The server's own refusals that reach every path first: shutting down, overloaded (503 with Retry-After). */
    public void apiException(ApiException e, Context ctx) {
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        int status = e.code().httpStatus();
        if (status >= 500 && status != 503) {
            LOG.error("{} {} answered {}: {}", ctx.method(), ctx.path(), status, e.getMessage());
            write(ctx, 500, "internal", "a fault of Linegate; the details are in its log");
            return;
        }
        write(ctx, status, status == 503 ? Refusal.Kind.UNAVAILABLE.code() : "malformed",
                e.detail() == null ? e.statusText() : e.detail());
    }

    public void databaseUnavailable(Exception e, Context ctx) {
        LOG.warn("{} {} answered 503: {}", ctx.method(), ctx.path(), e.getMessage());
        write(ctx, 503, Refusal.Kind.UNAVAILABLE.code(), ApiException.DATABASE_UNAVAILABLE);
    }

    /** Javalin's and Jetty's refusals: no such path, a method the path does not take, a body over the limit. */
    public void httpResponse(HttpResponseException e, Context ctx) {
        switch (e.getStatus()) {
            case 404 -> write(ctx, 404, Refusal.Kind.NOT_FOUND.code(), "no such endpoint: see docs/operations.md,"
                    + " \"Admin API\", for the paths");
            case 405 -> {
                e.getDetails().values().stream().findFirst().ifPresent(methods -> ctx.header("Allow", methods));
                write(ctx, 405, "method_not_allowed", "this endpoint does not take this method: see the Allow header");
            }
            case 413 -> write(ctx, 413, Refusal.Kind.TOO_LARGE.code(), "the request body is over the size limit");
            default -> write(ctx, 400, Refusal.Kind.MALFORMED.code(), "the request cannot be parsed");
        }
    }

    public void unexpected(Exception e, Context ctx) {
        LOG.error("{} {} failed; answered 500", ctx.method(), ctx.path(), e);
        write(ctx, 500, "internal", "a fault of Linegate; the details are in its log");
    }

    private static void write(Context ctx, int status, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        try {
            ctx.status(status).contentType("application/json").header("Cache-Control", "no-store")
                    .result(JSON.writeValueAsBytes(Map.of("error", error)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
