package linegate.operators;

import linegate.api.Refusal;
import linegate.send.MessageView;
import linegate.store.LogFilter;
import linegate.store.LogState;
import linegate.store.Stores;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static linegate.operators.Checks.named;

/**
 * The message log, for operators: one message by its cdls_id, and pages of messages newest first under filters. A
 * message is MessageStatus's object (docs/api.md), the same for clients, the command line and the admin API.
 */
public final class MessageOperations {
    static final int MAX_DEST = 64;
    static final int MAX_MSG_ID = 128;
    private final Stores stores;

    MessageOperations(Stores stores) {
        this.stores = stores;
    }

    public MessageView find(long cdlsId) {
        return stores.log().find(cdlsId).map(MessageView::of)
                .orElseThrow(() -> Refusal.notFound("message " + cdlsId + " does not exist"));
    }

    /**
     * Newest first; {@code cursor} is the {@code next} of the page before. {@code limit} is from 1 to
     * {@link Checks#MAX_LIST} (the admin API asks for at most 500 of its own accord).
     */
    public Page<MessageView> list(MessageQuery query, Optional<String> cursor, int limit) {
        Checks.limit(limit, Checks.MAX_LIST);
        LogFilter filter = filter(query);
        Optional<Long> before = Cursor.decode(cursor);
        List<MessageView> views = stores.log().page(filter, before, limit + 1).stream().map(MessageView::of).toList();
        return Page.of(views, limit, v -> ((Number) v.fields().get("cdls_id")).longValue());
    }

    static LogFilter filter(MessageQuery q) {
        Optional<LogState> state = q.state().map(MessageOperations::state);
        Optional<String> direction = q.direction().map(d -> {
            if (!d.equals("in") && !d.equals("out")) {
                throw Refusal.invalid(named("direction") + " must be in or out, got '" + Checks.shown(d) + "'");
            }
            return d;
        });
        Optional<String> dest = q.dest().map(d -> {
            if (d.isBlank() || d.length() > MAX_DEST) {
                throw Refusal.invalid(named("dest") + " must be the customer's id, 1 to " + MAX_DEST + " characters");
            }
            return d.strip();
        });
        Optional<String> msgId = q.msgId().map(m -> {
            if (m.isEmpty() || m.length() > MAX_MSG_ID) {
                throw Refusal.invalid(named("msg_id") + " must be 1 to " + MAX_MSG_ID + " characters");
            }
            return m;
        });
        Optional<Long> since = q.since().map(s -> Checks.instant("since", s));
        Optional<Long> until = q.until().map(s -> Checks.instant("until", s));
        return new LogFilter(q.accountId(), q.lineId(), state, direction, dest, msgId, since, until);
    }

    private static LogState state(String text) {
        String name = text.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(LogState.values()).filter(s -> s.dbValue().equals(name)).findFirst()
                .orElseThrow(() -> Refusal.invalid(named("state") + " must be one of " + String.join(", ",
                        Arrays.stream(LogState.values()).map(LogState::dbValue).toList()) + ", got '"
                        + Checks.shown(text) + "'"));
    }
}
