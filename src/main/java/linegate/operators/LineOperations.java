package linegate.operators;

import linegate.api.Refusal;
import linegate.store.Line;
import linegate.store.LineChanges;
import linegate.store.LineClass;
import linegate.store.LineLogin;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.store.Stores;
import linegate.store.UsagePauses;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static linegate.operators.Checks.named;
import static linegate.operators.StoreRefusals.translated;

/**
 * Lines: create, read, list, change (page token, active, human agent, send budget, Meta ids), and pause: an
 * operator's pause is a pause of contract §10 (direct sends answer 260 with retry_after, queued ones wait; every node
 * honours it within about a second), and resuming ends the line's pause, whoever set it. An Instagram line
 * without its Instagram account id is accepted with a warning: Meta's webhooks name an Instagram line only by that
 * id, so none of its customers' messages, deliveries or reads could reach it.
 */
public final class LineOperations {
    private final Stores stores;
    private final Runnable pausesChanged;
    private final UsageReadings usage;
    private final Clock clock;

    LineOperations(Stores stores, Runnable pausesChanged, UsageReadings usage, Clock clock) {
        this.stores = stores;
        this.pausesChanged = pausesChanged;
        this.usage = usage;
        this.clock = clock;
    }

    public LineOutcome create(NewLineInput in) {
        long account = in.accountId().orElseThrow(() -> Refusal.invalid(named("account_id") + " is required"));
        LineClass lineClass = Checks.lineClass(in.lineClass());
        Optional<PageAccessToken> token = in.pageToken().map(Checks::pageToken);
        Optional<String> ig = in.igAccountId().map(v -> Checks.metaId("ig_account_id", v));
        Optional<String> page = in.pageId().map(v -> Checks.metaId("page_id", v));
        OptionalInt budget = in.sendsPerSecond().map(Checks::sendsPerSecond).orElse(OptionalInt.empty());
        LineLogin login = in.login().map(Checks::login).orElse(LineLogin.FACEBOOK);
        Optional<Instant> expires = in.tokenExpiresAt()
                .map(t -> Instant.ofEpochMilli(Checks.instant("token_expires_at", t)));
        Checks.loginFits(lineClass, login, ig, page, expires.isPresent());
        long id = translated(() -> stores.lines().create(new NewLine(account, lineClass, token, ig, page, in.active(),
                in.humanAgent(), login, expires), budget));
        LineView view = find(id);
        return new LineOutcome(view, warnings(view.line()));
    }

    public LineView find(long id) {
        Line line = stores.lines().find(id).orElseThrow(() -> Refusal.notFound("line " + id + " does not exist"));
        return view(line, pauses());
    }

    /** In id order; of one account when given. */
    public Page<LineView> list(Optional<Long> accountId, Optional<String> cursor, int limit) {
        long after = Cursor.decode(cursor).orElse(0L);
        List<UsagePauses.Pause> pauses = pauses();
        List<LineView> views = stores.lines().page(accountId, after, limit + 1).stream()
                .map(l -> view(l, pauses)).toList();
        return Page.of(views, limit, LineView::id);
    }

    /** Every line (of one account when given), in id order: the command line's list. */
    public List<LineView> all(Optional<Long> accountId) {
        List<UsagePauses.Pause> pauses = pauses();
        return stores.lines().list(accountId).stream().map(l -> view(l, pauses)).toList();
    }

    public LineOutcome update(long id, LineEdit edit) {
        if (edit.isEmpty()) {
            throw Refusal.invalid("nothing to change: give page_token (--page-token), active (--active), human_agent"
                    + " (--human-agent), sends_per_second (--sends-per-second), ig_account_id (--ig-account-id),"
                    + " page_id (--page-id) or paused_until (--paused-until)");
        }
        Optional<PageAccessToken> token = edit.pageToken().map(Checks::pageToken);
        Optional<OptionalInt> budget = edit.sendsPerSecond().map(Checks::sendsPerSecondOrDefault);
        Optional<String> ig = edit.igAccountId().map(v -> Checks.metaId("ig_account_id", v));
        Optional<String> page = edit.pageId().map(v -> Checks.metaId("page_id", v));
        Optional<Optional<Long>> pause = edit.pausedUntil().map(until -> until.map(this::pauseEnd));
        LineChanges changes = new LineChanges(token, edit.active(), edit.humanAgent(), budget);
        Line line = edit.changesTheLine() ? translated(() -> stores.lines().update(id, changes, ig, page))
                : stores.lines().find(id).orElseThrow(() -> Refusal.notFound("line " + id + " does not exist"));
        long now = clock.millis();
        pause.ifPresent(until -> until.ifPresentOrElse(
                at -> stores.pauses().record(new UsagePauses.Pause(UsagePauses.Scope.LINE, id, at, PAUSED), now),
                () -> stores.pauses().end(id, now)));
        if (pause.isPresent()) {
            pausesChanged.run();
        }
        return new LineOutcome(view(line, pauses()), warnings(line));
    }

    /** The reason of an operator's pause. */
    static final String PAUSED = "paused by an operator";
    static final java.time.Duration MAX_PAUSE = java.time.Duration.ofDays(366);

    /** When an operator's pause ends: an instant in the future, within {@link #MAX_PAUSE}. */
    private long pauseEnd(String text) {
        long at = Checks.instant("paused_until", text);
        long now = clock.millis();
        if (at <= now || at > now + MAX_PAUSE.toMillis()) {
            throw Refusal.invalid(named("paused_until") + " must be a moment in the next " + MAX_PAUSE.toDays()
                    + " days (null or 'none' resumes the line now)");
        }
        return at;
    }

    private List<UsagePauses.Pause> pauses() {
        return stores.pauses().holding(clock.millis());
    }

    /** The line with the pause that holds for it (its own, or every line's, the longer) and its usage. */
    private LineView view(Line line, List<UsagePauses.Pause> pauses) {
        Optional<LineView.Pause> pause = pauses.stream()
                .filter(p -> p.scope() == UsagePauses.Scope.APP || p.scopeId() == line.id())
                .max(java.util.Comparator.comparingLong(UsagePauses.Pause::untilMillis))
                .map(p -> new LineView.Pause(p.untilMillis(), p.reason()));
        return new LineView(line, pause, usage.lastRead(line.id()));
    }

    static List<String> warnings(Line line) {
        List<String> warnings = new ArrayList<>();
        if (line.lineClass() == LineClass.INSTAGRAM && line.igAccountId().isEmpty()) {
            warnings.add("line " + line.id() + " is an Instagram line without ig_account_id (--ig-account-id): Meta's"
                    + " webhooks name Instagram lines only by it, so no customer's message, delivery or read can ever"
                    + " reach this line; set it with 'linegate line update " + line.id() + " --ig-account-id ID'");
        }
        return warnings;
    }
}
