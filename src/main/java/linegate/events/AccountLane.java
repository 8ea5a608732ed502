package linegate.events;

import linegate.store.events.CallbackTarget;
import linegate.store.events.DueEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One account's callbacks on this node: the events it has claimed and not yet posted, in claim order, and how many of
 * its requests are in flight, at most {@code concurrency}. Claimed events wait here so that a request that ends starts
 * the next one at once, without a database round trip; the claim rules ({@code Deliveries.claim}) keep the account's
 * requests within {@code concurrency} over all nodes. Thread-safe: requests end on the client's threads.
 */
final class AccountLane {
    /**
     * A claimed event, the target it is posted to (null: the account has no URL any more), its body (null: it could
     * not be rendered), and until when this node's lease on it holds.
     */
    record Claimed(DueEvent event, CallbackTarget target, byte[] body, long leaseUntil) {
    }

    private final int concurrency;
    private final ArrayDeque<Claimed> waiting = new ArrayDeque<>();
    private int inFlight;

    AccountLane(int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        this.concurrency = concurrency;
    }

    synchronized void add(List<Claimed> claimed) {
        waiting.addAll(claimed);
    }

    /**
     * The waiting events to post now, counted in flight: as many as the free slots allow. An event whose lease does
     * not hold past {@code startBy} is dropped instead: its lease runs out and it is claimed again, so no event is
     * ever in flight under an expired lease (where another node could claim and post it too).
     *
     * @param startBy now plus the longest an attempt can take
     */
    synchronized List<Claimed> startable(long startBy) {
        List<Claimed> start = new ArrayList<>();
        while (inFlight < concurrency && !waiting.isEmpty()) {
            Claimed next = waiting.poll();
            if (next.leaseUntil() > startBy) {
                inFlight++;
                start.add(next);
            }
        }
        return start;
    }

    /** One request of this account ended (answered, failed or never started). */
    synchronized void ended() {
        if (inFlight == 0) {
            throw new IllegalStateException("no request of this account was in flight");
        }
        inFlight--;
    }

    /** True when fewer events wait than the account may have in flight: time to claim more. */
    synchronized boolean runningLow() {
        return waiting.size() < concurrency;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    synchronized int inFlight() {
        return inFlight;
    }
}
