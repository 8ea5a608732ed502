package linegate.operators;

import linegate.store.Line;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A line as operators see it (contract §12): {@code id, account_id, class, login, ig_account_id, page_id, active,
 * human_agent, sends_per_second, health}, with {@code health_reason}, whether a page token is set, when it holds the
 * pause on Meta's usage, and Meta's usage as the answering node last read it (the command line, which sends nothing,
 * has no reading). The page token is write-only: {@link #fields()} never has it, in any form; the command line shows
 * it masked ({@link #commandFields()}, as it always has).
 */
public record LineView(Line line, Optional<Pause> pause, Optional<Usage> usage) {
    /** A pause on Meta's usage that holds now: until when, and why. */
    public record Pause(long untilMillis, String reason) {
    }

    /**
     * The highest figure (percent) of each of Meta's usage headers on the last answer for the line that carried one
     * ({@code X-App-Usage}, {@code X-Business-Use-Case-Usage}, {@code X-Page-Usage}; empty where that answer had
     * none), and when the node read it.
     */
    public record Usage(OptionalInt app, OptionalInt business, OptionalInt page, Instant readAt) {
        Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("app", orNull(app));
            m.put("business", orNull(business));
            m.put("page", orNull(page));
            m.put("read_at", readAt.toString());
            return m;
        }
    }

    public long id() {
        return line.id();
    }

    /** The admin API's line. */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", line.id());
        m.put("account_id", line.accountId());
        m.put("class", line.lineClass().dbValue());
        m.put("login", line.login().dbValue());
        m.put("ig_account_id", line.igAccountId().orElse(null));
        m.put("page_id", line.pageId().orElse(null));
        m.put("active", line.active());
        m.put("human_agent", line.humanAgent());
        m.put("sends_per_second", orNull(line.sendsPerSecond()));
        m.put("health", line.health().dbValue());
        m.put("health_reason", line.healthReason().orElse(null));
        m.put("has_page_token", line.pageToken().isPresent() || line.pageTokenUnreadable());
        m.put("page_token_unreadable", line.pageTokenUnreadable());
        m.put("token_expires_at", expires());
        m.put("paused_until", pause.map(p -> Instant.ofEpochMilli(p.untilMillis()).toString()).orElse(null));
        m.put("pause_reason", pause.map(Pause::reason).orElse(null));
        m.put("usage", usage.map(Usage::fields).orElse(null));
        m.put("created_at", Instant.ofEpochMilli(line.createdAtMillis()).toString());
        m.put("updated_at", Instant.ofEpochMilli(line.updatedAtMillis()).toString());
        return m;
    }

    /** The command line's line (docs/operations.md): the token masked, the budget "default" when it has none. */
    public Map<String, Object> commandFields() {
        Line l = line;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.id());
        m.put("account_id", l.accountId());
        m.put("class", l.lineClass().dbValue());
        m.put("login", l.login().dbValue());
        m.put("active", l.active());
        m.put("page_id", l.pageId().orElse(null));
        m.put("ig_account_id", l.igAccountId().orElse(null));
        m.put("page_token", l.pageTokenUnreadable() ? "unreadable" : l.pageToken().map(t -> t.masked()).orElse(null));
        m.put("human_agent", l.humanAgent());
        m.put("sends_per_second", l.sendsPerSecond().isPresent() ? (Object) l.sendsPerSecond().getAsInt() : "default");
        m.put("health", l.health().dbValue());
        m.put("health_reason", l.healthReason().orElse(null));
        m.put("token_expires_at", expires());
        m.put("created_at", Instant.ofEpochMilli(l.createdAtMillis()).toString());
        m.put("updated_at", Instant.ofEpochMilli(l.updatedAtMillis()).toString());
        return m;
    }

    /** When an Instagram Login line's token expires, as far as known; null for Page tokens and unknown expiries. */
    private String expires() {
        return line.tokenExpiresAtMillis().map(t -> Instant.ofEpochMilli(t).toString()).orElse(null);
    }

    /** The number, or null (JSON null) when there is none. */
    private static Integer orNull(OptionalInt value) {
        return value.isPresent() ? value.getAsInt() : null;
    }

    @Override
    public String toString() {
        return "LineView[id=" + line.id() + "]";
    }
}
