package linegate.store;

import java.util.Objects;
import java.util.Optional;

/**
 * A row written from a webhook event: a customer's message, reaction, postback or referral (direction {@code in},
 * state {@code received}), or an echo of a message typed in Meta's own apps (direction {@code out}, state
 * {@code sent}, origin {@code meta_app}). {@code eventKey} makes the write idempotent.
 */
public record InboundEntry(long accountId, long lineId, LineClass channel, boolean echo, String peerId, String mtype,
                           String content, Optional<String> metaMessageId, String eventKey, String eventJson,
                           long eventAtMillis) {
    public InboundEntry {
        Objects.requireNonNull(channel);
        Objects.requireNonNull(peerId);
        Objects.requireNonNull(mtype);
        Objects.requireNonNull(content);
        Objects.requireNonNull(metaMessageId);
        Objects.requireNonNull(eventKey);
    }
}
