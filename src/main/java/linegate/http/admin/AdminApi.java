package linegate.http.admin;

import linegate.auth.AdminAuthenticator;
import linegate.operators.Operations;

/**
 * The admin API's parts, built once by the root and routed by {@link linegate.http.HttpServer}: the gate, the error
 * writer, and one controller per resource.
 */
public final class AdminApi {
    private final AdminGate gate;
    private final AdminErrors errors = new AdminErrors();
    private final SessionController session;
    private final AccountsController accounts;
    private final LinesController lines;
    private final MessagesController messages;
    private final EventsAdminController events;

    /** {@code maxBodyBytes}: the largest request body taken (LINEGATE_MAX_BODY_BYTES, as on the send API). */
    public AdminApi(Operations operations, AdminAuthenticator authenticator, int maxBodyBytes,
                    long sessionMaxAgeSeconds, long sessionIdleSeconds) {
        AdminJson json = new AdminJson(maxBodyBytes);
        this.gate = new AdminGate(authenticator);
        this.session = new SessionController(authenticator, json, sessionMaxAgeSeconds, sessionIdleSeconds);
        this.accounts = new AccountsController(operations.accounts(), operations.tokens(), json);
        this.lines = new LinesController(operations.lines(), json);
        this.messages = new MessagesController(operations.messages());
        this.events = new EventsAdminController(operations.events(), json);
    }

    public AdminGate gate() {
        return gate;
    }

    public AdminErrors errors() {
        return errors;
    }

    public SessionController session() {
        return session;
    }

    public AccountsController accounts() {
        return accounts;
    }

    public LinesController lines() {
        return lines;
    }

    public MessagesController messages() {
        return messages;
    }

    public EventsAdminController events() {
        return events;
    }
}
