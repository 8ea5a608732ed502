package linegate.store;

import java.util.Objects;
import java.util.Optional;

/** An outbound row as the send pipeline writes it, before the Graph call: {@code accepted}, or {@code failed} when refused locally. */
public record NewLogEntry(
        long accountId,
        long lineId,
        LineClass channel,
        String peerId,
        String mtype,
        String mdata,
        Optional<String> msgId,
        Optional<String> tag,
        Optional<LoggedError> refusal,
        long createdAtMillis) {

    public NewLogEntry {
        Objects.requireNonNull(channel);
        Objects.requireNonNull(peerId);
        Objects.requireNonNull(mtype);
        Objects.requireNonNull(mdata);
        Objects.requireNonNull(msgId);
        Objects.requireNonNull(tag);
        Objects.requireNonNull(refusal);
    }

    public LogState initialState() {
        return refusal.isPresent() ? LogState.FAILED : LogState.ACCEPTED;
    }
}
