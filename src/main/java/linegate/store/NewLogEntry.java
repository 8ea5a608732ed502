package linegate.store;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An outbound row as the send pipeline writes it, before the Graph call: {@code accepted}, or {@code failed} when refused
 * locally. {@code requestHash} fingerprints the request for the msg_id comparison; {@code nodeId} is the node that
 * claims an accepted row (see {@link Nodes}).
 */
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
        long createdAtMillis,
        Optional<String> requestHash,
        OptionalLong nodeId) {

    /** An entry without a request hash or a claiming node (as rows were before V5). */
    public NewLogEntry(long accountId, long lineId, LineClass channel, String peerId, String mtype, String mdata,
                       Optional<String> msgId, Optional<String> tag, Optional<LoggedError> refusal, long createdAtMillis) {
        this(accountId, lineId, channel, peerId, mtype, mdata, msgId, tag, refusal, createdAtMillis, Optional.empty(),
                OptionalLong.empty());
    }

    public NewLogEntry {
        Objects.requireNonNull(channel);
        Objects.requireNonNull(peerId);
        Objects.requireNonNull(mtype);
        Objects.requireNonNull(mdata);
        Objects.requireNonNull(msgId);
        Objects.requireNonNull(tag);
        Objects.requireNonNull(refusal);
        Objects.requireNonNull(requestHash);
        Objects.requireNonNull(nodeId);
    }

    /** The same entry, claimed by {@code nodeId} and fingerprinted for the msg_id comparison. */
    public NewLogEntry claimed(String requestHash, long nodeId) {
        return new NewLogEntry(accountId, lineId, channel, peerId, mtype, mdata, msgId, tag, refusal, createdAtMillis,
                Optional.of(requestHash), OptionalLong.of(nodeId));
    }

    public LogState initialState() {
        return refusal.isPresent() ? LogState.FAILED : LogState.ACCEPTED;
    }
}
