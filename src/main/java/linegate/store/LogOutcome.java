package linegate.store;

import java.util.Objects;

/** How an accepted outbound row ends after the Graph call. */
public sealed interface LogOutcome {
    long atMillis();

    /** Meta accepted the message and gave its id (null for a reaction: Meta gives none). */
    record Sent(String metaMessageId, long atMillis) implements LogOutcome {
    }

    /** Meta (or Linegate, after the row was written) refused it. */
    record Failed(LoggedError error, long atMillis) implements LogOutcome {
        public Failed {
            Objects.requireNonNull(error);
        }
    }

    /** No answer from Meta: the message may or may not have been delivered, so it is never retried blindly. */
    record Unknown(LoggedError error, long atMillis) implements LogOutcome {
        public Unknown {
            Objects.requireNonNull(error);
        }
    }
}
