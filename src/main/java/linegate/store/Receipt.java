package linegate.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Meta's delivery or read receipt for messages a line sent to one customer: by message id ({@code mids}: Messenger's
 * delivered ids, or the one message Instagram says was seen) and/or by {@code watermark} (Messenger: every message sent
 * at or before it). {@code atMillis} is the event's time.
 */
public record Receipt(long lineId, String peerId, List<String> mids, Optional<Long> watermark, long atMillis) {
    public Receipt {
        Objects.requireNonNull(peerId);
        mids = List.copyOf(mids);
        Objects.requireNonNull(watermark);
    }
}
