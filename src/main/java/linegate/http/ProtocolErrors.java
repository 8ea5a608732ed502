package linegate.http;

import linegate.api.ApiException;
import linegate.api.StatusCode;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Jetty's error handler, for the answers Jetty gives itself before any route runs: a request that is not valid
 * HTTP/1.1 (a duplicate or negative Content-Length, Content-Length with Transfer-Encoding, a NUL in a header, a bad
 * URI, a TLS hello on the plain port), a request line or headers over Jetty's limits, an unknown HTTP version. Each is
 * the {@code {"return":{...}}} envelope with a documented status_code, on every path: never Jetty's HTML page, and never
 * Jetty's reason, which may quote the offending bytes.
 */
final class ProtocolErrors implements Request.Handler {

    /** The documented status_code for an HTTP status Jetty chose; any other refusal of the request is 201. */
    static StatusCode codeFor(int httpStatus) {
        return switch (httpStatus) {
            case HttpStatus.NOT_FOUND_404 -> StatusCode.UNKNOWN_ENDPOINT;
            case HttpStatus.METHOD_NOT_ALLOWED_405 -> StatusCode.METHOD_NOT_ALLOWED;
            case HttpStatus.REQUEST_TIMEOUT_408 -> StatusCode.REQUEST_TIMEOUT;
            case HttpStatus.PAYLOAD_TOO_LARGE_413 -> StatusCode.REQUEST_TOO_LARGE;
            case HttpStatus.URI_TOO_LONG_414 -> StatusCode.URI_TOO_LONG;
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> StatusCode.HEADERS_TOO_LARGE;
            case HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 -> StatusCode.HTTP_VERSION_NOT_SUPPORTED;
            case HttpStatus.SERVICE_UNAVAILABLE_503 -> StatusCode.SERVICE_UNAVAILABLE;
            case HttpStatus.INTERNAL_SERVER_ERROR_500 -> StatusCode.INTERNAL_ERROR;
            default -> StatusCode.MALFORMED_REQUEST;
        };
    }

    static String detailFor(StatusCode code) {
        return switch (code) {
            case UNKNOWN_ENDPOINT -> "no such endpoint: see docs/api.md for the paths";
            case METHOD_NOT_ALLOWED -> "this endpoint does not take this method: see the Allow header";
            case REQUEST_TIMEOUT -> "the request's headers and body did not arrive in time";
            case REQUEST_TOO_LARGE -> "the request is over the size limit";
            case URI_TOO_LONG -> "the request line is too long: send the parameters in the body";
            case HEADERS_TOO_LARGE -> "the request headers are too large";
            case HTTP_VERSION_NOT_SUPPORTED -> "send HTTP/1.1 (or HTTP/1.0)";
            case MALFORMED_REQUEST -> "this is not a valid HTTP/1.1 request (its request line, headers or framing"
                    + " cannot be parsed); nothing was done";
            default -> null;
        };
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException refusal) {
            status = refusal.getCode();
        }
        StatusCode code = codeFor(status);
        response.setStatus(code.httpStatus());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        byte[] body = Envelope.error(ApiException.of(code, detailFor(code)));
        if ("HEAD".equals(request.getMethod())) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
        return true;
    }
}
