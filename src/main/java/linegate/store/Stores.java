package linegate.store;

import linegate.store.events.Callbacks;
import linegate.store.events.Deliveries;
import linegate.store.events.Outbox;

import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Every table owner over one {@link Database}: what {@code serve} and the operator's commands share. */
public record Stores(Database db, Accounts accounts, Tokens tokens, Lines lines, Lookups lookups, MessageLog log,
                     Conversations conversations, WebhookInbox inbox,
                     Nodes nodes, Outbox outbox, Callbacks callbacks, Deliveries deliveries, SendQueue queue,
                     UsagePauses pauses, Comments comments, SealedKeys sealedKeys)
        implements AutoCloseable {
    /** How long a request waits for a pooled connection before it is answered 503. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    /** How often a serving node polls for token and line changes made elsewhere, unless configured. */
    public static final Duration LOOKUP_REFRESH = Duration.ofSeconds(1);

    public static Stores open(String url, String user, String password, byte[] masterKey, Clock clock) {
        return open(url, user, password, masterKey, clock, LOOKUP_REFRESH);
    }

    public static Stores open(String url, String user, String password, byte[] masterKey, Clock clock,
                              Duration lookupRefresh) {
        return open(url, user, password, masterKey, clock, lookupRefresh, Optional.empty());
    }

    /** With {@code poolMetrics}, the connection pool reports itself there (see {@link Database#open}). */
    public static Stores open(String url, String user, String password, byte[] masterKey, Clock clock,
                              Duration lookupRefresh, Optional<MeterRegistry> poolMetrics) {
        Database db = Database.open(url, user, password, CONNECT_TIMEOUT, poolMetrics);
        LookupEpoch epoch = new LookupEpoch();
        Tokens tokens = new Tokens(db, clock, epoch);
        TokenCipher cipher = new TokenCipher(masterKey);
        // every message_log change, line health change, closing window and new comment writes its event in its own
        // transaction
        // (the transactional outbox)
        Outbox outbox = new Outbox(db, clock);
        Lines lines = new Lines(db, cipher, clock, epoch, outbox);
        MessageLog log = new MessageLog(db, outbox);
        return new Stores(db, new Accounts(db, clock), tokens, lines, new Lookups(db, tokens, lines, epoch, clock, lookupRefresh),
                log, new Conversations(db, clock, outbox), new WebhookInbox(db),
                new Nodes(db), outbox, new Callbacks(db, cipher, clock), new Deliveries(db), new SendQueue(db, log),
                new UsagePauses(db), new Comments(db, outbox), new SealedKeys(db, cipher));
    }

    @Override
    public void close() {
        db.close();
    }
}
