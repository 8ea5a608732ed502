package linegate.store;

import java.time.Clock;
import java.time.Duration;

/** Every table owner over one {@link Database}: what {@code serve} and the operator's commands share. */
public record Stores(Database db, Accounts accounts, Tokens tokens, Lines lines, MessageLog log, MessageEvents events,
                     Conversations conversations, WebhookInbox inbox) implements AutoCloseable {
    /** How long a request waits for a pooled connection before it is answered 503. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    public static Stores open(String url, String user, String password, byte[] masterKey, Clock clock) {
        Database db = Database.open(url, user, password, CONNECT_TIMEOUT);
        return new Stores(db, new Accounts(db, clock), new Tokens(db, clock), new Lines(db, new TokenCipher(masterKey), clock),
                new MessageLog(db), new MessageEvents(db), new Conversations(db), new WebhookInbox(db));
    }

    @Override
    public void close() {
        db.close();
    }
}
