package linegate.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import linegate.api.ApiException;
import linegate.meta.WebhookHandshake;
import linegate.meta.WebhookSignature;
import linegate.store.InboxWriter;
import linegate.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Meta's side of the webhook: the subscription handshake, and deliveries that are verified, made durable, and only
 * then acknowledged. Applying them happens after the answer ({@link WebhookProcessor}), so the 200 stays fast.
 */
public final class WebhookIntake {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);

    /** Why a delivery or a handshake was refused (403), for the log and the metric; never shown to the caller. */
    public static final class Refused extends RuntimeException {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final WebhookSignature signature;
    private final Optional<String> verifyToken;
    private final InboxWriter inbox;
    private final WebhookProcessor processor;
    private final Clock clock;
    private final Counter accepted;
    private final Supplier<Counter> refusals;

    public WebhookIntake(WebhookSignature signature, Optional<String> verifyToken, InboxWriter inbox,
                         WebhookProcessor processor, Clock clock, MeterRegistry metrics) {
        this.signature = signature;
        this.verifyToken = verifyToken;
        this.inbox = inbox;
        this.processor = processor;
        this.clock = clock;
        // registered once, at start (a scrape shows both at 0 before the first delivery): a registry look-up per
        // delivery builds and hashes the meter's id
        this.accepted = deliveries(metrics, "accepted");
        Counter refused = deliveries(metrics, "refused");
        this.refusals = () -> refused;
    }

    private static Counter deliveries(MeterRegistry metrics, String result) {
        return Counter.builder("linegate.webhook.deliveries")
                .description("Webhook deliveries accepted (stored) or refused (403)").tag("result", result)
                .register(metrics);
    }

    /** Meta's handshake: the challenge when mode is subscribe and the token matches (constant time); else refused. */
    public String handshake(String mode, String token, String challenge) {
        if (verifyToken.isEmpty()) {
            throw refused("handshake refused: LINEGATE_VERIFY_TOKEN is not set");
        }
        if (!WebhookHandshake.SUBSCRIBE.equals(mode) || token == null || challenge == null || challenge.isEmpty()
                || !MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), verifyToken.get().getBytes(StandardCharsets.UTF_8))) {
            throw refused("handshake refused: wrong " + WebhookHandshake.MODE + " or "
                    + WebhookHandshake.VERIFY_TOKEN);
        }
        return challenge;
    }

    /**
     * Verifies and stores a delivery; returns once it is durable. Nothing is stored for a bad signature. When the
     * database cannot store it: 503, and Meta delivers it again later.
     */
    public void accept(byte[] body, String signatureHeader) {
        if (!signature.configured()) {
            throw refused("delivery refused: LINEGATE_APP_SECRET is not set, so signatures cannot be verified");
        }
        if (!signature.verify(body, signatureHeader)) {
            throw refused(signatureHeader == null ? "delivery refused: no " + WebhookSignature.HEADER + " header"
                    : "delivery refused: " + WebhookSignature.HEADER + " does not match the body under the app secret");
        }
        long id;
        try {
            id = inbox.append(body, clock.millis());
        } catch (StoreUnavailableException e) {
            LOG.warn("a webhook delivery could not be stored; answered 503: {}", e.getMessage());
            throw ApiException.databaseUnavailable();
        }
        accepted.increment();
        processor.submit(id, body);
    }

    private Refused refused(String reason) {
        refusals.get().increment();
        LOG.warn(reason);
        return new Refused(reason);
    }
}
