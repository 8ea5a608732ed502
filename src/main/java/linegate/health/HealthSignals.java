package linegate.health;

import linegate.meta.GraphError;
import linegate.meta.GraphOutcome;
import linegate.meta.TokenClient;
import linegate.store.LineHealth;

import java.util.Optional;

/**
 * What one Graph answer says of the line's health, from Meta's error tables (docs/meta-facts.md, "Error classes";
 * facts §4.4 and §4.5): a send Meta took shows the line works; an authorisation error shows its token is refused for
 * every send; a policy restriction stops every send on the Page or account. Everything else (the customer, the
 * window, the media, a rate limit, no answer at all) is about one message, or says nothing, and leaves health alone.
 */
public final class HealthSignals {
    /** Meta's message is kept to this length in the reason: enough to act on, never a whole body. */
    static final int MAX_REASON_LENGTH = 300;

    /** A health, and Meta's reason for it when there is one. */
    public record Signal(LineHealth health, Optional<String> reason) {
    }

    private HealthSignals() {
    }

    public static Optional<Signal> of(GraphOutcome outcome) {
        return switch (outcome) {
            case GraphOutcome.Sent sent -> Optional.of(new Signal(LineHealth.OK, Optional.empty()));
            case GraphOutcome.Rejected rejected -> of(rejected.error())
                    .map(health -> new Signal(health, Optional.of(reason(rejected.error()))));
            case GraphOutcome.Unreachable unreachable -> Optional.empty();
            case GraphOutcome.NotSent notSent -> Optional.empty();
        };
    }

    /**
     * What a token check ({@code GET /me?fields=id}) says: an answer with the owner's id shows the token works; an
     * error envelope is read as a send's would be (190 and the others: token_rejected); no answer says nothing.
     */
    public static Optional<Signal> of(TokenClient.CheckAnswer answer) {
        return switch (answer) {
            case TokenClient.CheckAnswer.Valid valid -> Optional.of(new Signal(LineHealth.OK, Optional.empty()));
            case TokenClient.CheckAnswer.Refused refused -> of(refused.error())
                    .map(health -> new Signal(health, Optional.of(reason(refused.error()))));
            case TokenClient.CheckAnswer.NoAnswer none -> Optional.empty();
        };
    }

    /**
     * token_rejected: 190 (any subcode: expired, revoked, password changed, checkpointed...), 102 (session),
     * 200/2534041 (the account owner disabled access to Instagram messages), 10/2534077 (the Instagram account, the
     * user and the Page are no longer connected). restricted: 10/1893063 (the Page is temporarily restricted from
     * sending, June 2026), 368 (blocked for policy violations), 100/2534029 (the business is blocked from the Instagram
     * Messaging API).
     */
    static Optional<LineHealth> of(GraphError e) {
        if (e.code() == null) {
            return Optional.empty();
        }
        int sub = e.subcode() == null ? 0 : e.subcode();
        return switch (e.code()) {
            case 190, 102 -> Optional.of(LineHealth.TOKEN_REJECTED);
            case 200 -> sub == 2534041 ? Optional.of(LineHealth.TOKEN_REJECTED) : Optional.empty();
            case 10 -> switch (sub) {
                case 2534077 -> Optional.of(LineHealth.TOKEN_REJECTED);
                case 1893063 -> Optional.of(LineHealth.RESTRICTED);
                default -> Optional.empty();
            };
            case 368 -> Optional.of(LineHealth.RESTRICTED);
            case 100 -> sub == 2534029 ? Optional.of(LineHealth.RESTRICTED) : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** "Meta error 190/460: <Meta's message>": the code names the cause, the message is Meta's own words. */
    static String reason(GraphError e) {
        String code = "Meta error " + e.code() + (e.subcode() == null ? "" : "/" + e.subcode());
        String message = e.message() == null ? "" : e.message().strip();
        if (message.length() > MAX_REASON_LENGTH) {
            message = message.substring(0, MAX_REASON_LENGTH) + "…";
        }
        return message.isEmpty() ? code : code + ": " + message;
    }
}
