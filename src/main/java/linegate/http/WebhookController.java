package linegate.http;

import io.javalin.http.Context;
import linegate.api.ApiException;
import linegate.api.StatusCode;
import linegate.meta.WebhookHandshake;
import linegate.meta.WebhookSignature;
import linegate.webhook.WebhookIntake;

import java.io.IOException;
import java.io.InputStream;

/** {@code /webhooks/meta}: Meta's handshake and deliveries. Refusals are a bare 403: Meta reads only the status. */
final class WebhookController {
    /** Meta batches up to 1000 updates in one delivery. */
    static final int MAX_DELIVERY_BYTES = 8 * 1024 * 1024;
    private final WebhookIntake intake;

    WebhookController(WebhookIntake intake) {
        this.intake = intake;
    }

    void handshake(Context ctx) {
        String challenge = intake.handshake(ctx.queryParam(WebhookHandshake.MODE),
                ctx.queryParam(WebhookHandshake.VERIFY_TOKEN), ctx.queryParam(WebhookHandshake.CHALLENGE));
        ctx.contentType("text/plain; charset=utf-8").result(challenge);
    }

    void delivery(Context ctx) {
        intake.accept(rawBody(ctx), ctx.header(WebhookSignature.HEADER));
        ctx.contentType("text/plain; charset=utf-8").result("EVENT_RECEIVED");
    }

    void refused(WebhookIntake.Refused e, Context ctx) {
        ctx.status(403).contentType("text/plain; charset=utf-8").result("Forbidden");
    }

    /** The bytes exactly as received: the signature is over them, not over any re-serialised JSON. */
    private static byte[] rawBody(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(MAX_DELIVERY_BYTES + 1);
            if (body.length > MAX_DELIVERY_BYTES) {
                throw ApiException.of(StatusCode.REQUEST_TOO_LARGE, "a webhook delivery is at most 8 MiB");
            }
            return body;
        } catch (IOException e) {
            throw ApiException.of(StatusCode.MALFORMED_REQUEST, "the delivery could not be read");
        }
    }
}
