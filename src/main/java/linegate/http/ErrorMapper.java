package linegate.http;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import linegate.api.ApiException;
import linegate.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place exceptions become HTTP answers. Documented refusals keep their status code; an unreachable database is
 * 503 (services say so with an ApiException; the failure type the root names, for a service that still lets the
 * store's own exception through); anything else is a Linegate fault: 500 to the client with no details, the stack trace in Linegate's own log.
 */
final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    private final SendMetrics metrics;

    ErrorMapper(SendMetrics metrics) {
        this.metrics = metrics;
    }

    void apiException(ApiException e, Context ctx) {
        if (e.code() == StatusCode.INTERNAL_ERROR) {
            // the details are Linegate's business, not the client's: they go to the log only
            LOG.error("{} {} answered 500 (cdls_id={}): {}", ctx.method(), ctx.path(), e.cdlsId(), e.getMessage());
            write(ctx, e.withDetail(null));
            return;
        }
        write(ctx, e);
    }

    /** A failure the composition root named as "the database is unavailable" (see {@link HttpServer}). */
    void databaseUnavailable(Exception e, Context ctx) {
        LOG.warn("{} {} answered 503: {}", ctx.method(), ctx.path(), e.getMessage());
        write(ctx, ApiException.databaseUnavailable());
    }

    /**
     * Javalin's and Jetty's own refusals (a body over Javalin's limit, a request Jetty cannot parse, a path no route
     * has, a method the path does not take), each as its documented status_code in the envelope.
     */
    void httpResponse(HttpResponseException e, Context ctx) {
        StatusCode code = ProtocolErrors.codeFor(e.getStatus());
        if (code == StatusCode.METHOD_NOT_ALLOWED) {
            // Javalin names the path's methods in its details (under a key that depends on the Accept header)
            e.getDetails().values().stream().findFirst().ifPresent(methods -> ctx.header("Allow", methods));
        }
        write(ctx, ApiException.of(code, ProtocolErrors.detailFor(code)));
    }

    void unexpected(Exception e, Context ctx) {
        LOG.error("{} {} failed; answered 500", ctx.method(), ctx.path(), e);
        write(ctx, ApiException.of(StatusCode.INTERNAL_ERROR, null));
    }

    private void write(Context ctx, ApiException e) {
        metrics.count(ctx, e.code().code(), e.cdlsId(), e.metaError());
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        if (e.code() == StatusCode.REQUEST_TOO_LARGE || e.code() == StatusCode.MALFORMED_REQUEST) {
            // the body may be left unread, so the connection cannot carry another request: say so, and a client
            // opens a new one instead of reusing a connection the server is about to close
            ctx.header("Connection", "close");
        }
        ctx.status(e.code().httpStatus()).contentType("application/json").result(Envelope.error(e));
    }
}
