package linegate.store;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An outbound row as the send pipeline writes it, before the Graph call: {@code accepted}, {@code failed} when refused
 * locally, or {@code queued} for a queue worker to send ({@code queued}: no node claims it yet). {@code requestHash}
 * fingerprints the request for the msg_id comparison; {@code nodeId} is the node that claims an accepted row (see
 * {@link Nodes}); {@code options}, what the send carries besides mtype and mdata, as JSON.
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
        OptionalLong nodeId,
        boolean queued,
        Optional<String> options) {

    /** An entry without a request hash or a claiming node (as rows were before V5). */
    public NewLogEntry(long accountId, long lineId, LineClass channel, String peerId, String mtype, String mdata,
                       Optional<String> msgId, Optional<String> tag, Optional<LoggedError> refusal, long createdAtMillis) {
        this(accountId, lineId, channel, peerId, mtype, mdata, msgId, tag, refusal, createdAtMillis, Optional.empty(),
                OptionalLong.empty(), false, Optional.empty());
    }

    /** A direct send's entry (not queued). */
    public NewLogEntry(long accountId, long lineId, LineClass channel, String peerId, String mtype, String mdata,
                       Optional<String> msgId, Optional<String> tag, Optional<LoggedError> refusal, long createdAtMillis,
                       Optional<String> requestHash, OptionalLong nodeId) {
        this(accountId, lineId, channel, peerId, mtype, mdata, msgId, tag, refusal, createdAtMillis, requestHash, nodeId,
                false, Optional.empty());
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
        Objects.requireNonNull(options);
        if (queued && (refusal.isPresent() || nodeId.isPresent())) {
            throw new IllegalArgumentException("a queued entry is neither refused nor claimed by a node");
        }
    }

    /** The same entry, claimed by {@code nodeId} and fingerprinted for the msg_id comparison. */
    public NewLogEntry claimed(String requestHash, long nodeId) {
        return new NewLogEntry(accountId, lineId, channel, peerId, mtype, mdata, msgId, tag, refusal, createdAtMillis,
                Optional.of(requestHash), OptionalLong.of(nodeId), false, options);
    }

    /** The same entry, fingerprinted, stored for a queue worker instead of sent now: no node claims it yet. */
    public NewLogEntry queuedFor(String requestHash) {
        return new NewLogEntry(accountId, lineId, channel, peerId, mtype, mdata, msgId, tag, Optional.empty(),
                createdAtMillis, Optional.of(requestHash), OptionalLong.empty(), true, options);
    }

    /** The same entry with what the send carries besides mtype and mdata ({@code options}, JSON; see LogRow). */
    public NewLogEntry withOptions(Optional<String> options) {
        return new NewLogEntry(accountId, lineId, channel, peerId, mtype, mdata, msgId, tag, refusal, createdAtMillis,
                requestHash, nodeId, queued, options);
    }

    public LogState initialState() {
        return refusal.isPresent() ? LogState.FAILED : queued ? LogState.QUEUED : LogState.ACCEPTED;
    }
}
