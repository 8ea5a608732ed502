package linegate.store;

/**
 * Told of the changes that are not message_log rows, inside the transaction that makes them, as {@link ChangeRecorder}
 * is of the log's: a line's health changed ({@link Lines#recordHealth}), a window is about to close
 * ({@link Conversations#warn}), a new comment arrived ({@link Comments#record}). What it writes through {@code tx}
 * commits or rolls back with the change. Database work only: no network, no waiting.
 */
public interface NoticeRecorder {
    /** Records nothing. */
    NoticeRecorder NONE = new NoticeRecorder() {
        @Override
        public void lineHealthChanged(Transaction tx, LineHealthChange change) {
        }

        @Override
        public void windowClosing(Transaction tx, ClosingWindow window) {
        }

        @Override
        public void commentReceived(Transaction tx, ReceivedComment comment) {
        }
    };

    void lineHealthChanged(Transaction tx, LineHealthChange change);

    void windowClosing(Transaction tx, ClosingWindow window);

    void commentReceived(Transaction tx, ReceivedComment comment);
}
