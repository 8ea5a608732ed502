package linegate.store;

import java.util.Objects;

/**
 * A customer's 24-hour window that closes soon, found by {@link Conversations#closingWindows} and warned about once
 * ({@link Conversations#warn}).
 *
 * @param lastInboundAt when the customer last wrote (epoch ms): the window it opened is the one warned about
 * @param expiresAt     when that window closes (epoch ms)
 */
public record ClosingWindow(long accountId, long lineId, LineClass lineClass, String peerId, long lastInboundAt,
                            long expiresAt) {
    public ClosingWindow {
        Objects.requireNonNull(lineClass);
        Objects.requireNonNull(peerId);
        if (expiresAt <= lastInboundAt) {
            throw new IllegalArgumentException("a window closes after it opens");
        }
    }
}
