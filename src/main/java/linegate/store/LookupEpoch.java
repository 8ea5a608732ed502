package linegate.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The age of this node's cached token and line look-ups: a cached value is used only while the epoch it was loaded in
 * is current. {@link Tokens} and {@link Lines} move it after every change they commit, so a change made through this
 * node takes effect on it at once; {@link Lookups#refresh()} moves it when another process changed something.
 */
public final class LookupEpoch {
    private final AtomicLong value = new AtomicLong();

    long current() {
        return value.get();
    }

    void advance() {
        value.incrementAndGet();
    }
}
