package linegate.http;

import linegate.api.ApiException;
import linegate.send.SendOutcome;

/**
 * Every send outcome but a success, as the facts of the refusal that {@link ErrorMapper} writes: status code and text,
 * detail, {@code cdls_id}, Meta's error, and how long to wait. The one place outcomes become the envelope's fields.
 */
final class SendRefusals {
    private SendRefusals() {
    }

    static ApiException of(SendOutcome outcome) {
        return switch (outcome) {
            case SendOutcome.Refused r -> {
                ApiException e = ApiException.of(r.code(), r.detail()).withStatusText(r.statusText());
                if (r.cdlsId().isPresent()) {
                    e = e.withCdlsId(r.cdlsId().getAsLong());
                }
                yield r.retryAfterSeconds().isPresent() ? e.withRetryAfter(r.retryAfterSeconds().getAsLong()) : e;
            }
            case SendOutcome.MetaRefused m -> {
                ApiException e = ApiException.of(m.code(), null).withCdlsId(m.cdlsId()).withMetaError(m.error());
                yield m.retryAfterSeconds().isPresent() ? e.withRetryAfter(m.retryAfterSeconds().getAsLong()) : e;
            }
            case SendOutcome.Unknown u -> {
                ApiException e = ApiException.of(u.code(), u.detail()).withCdlsId(u.cdlsId());
                yield u.error().isPresent() ? e.withMetaError(u.error().get()) : e;
            }
            case SendOutcome.NotSent n -> ApiException.of(n.code(), n.detail()).withCdlsId(n.cdlsId())
                    .withRetryAfter(n.retryAfterSeconds());
            case SendOutcome.Sent s -> throw new IllegalArgumentException("a success is not a refusal");
            case SendOutcome.Duplicate d -> throw new IllegalArgumentException("a success is not a refusal");
            case SendOutcome.Queued q -> throw new IllegalArgumentException("a queued send is not a refusal");
        };
    }
}
