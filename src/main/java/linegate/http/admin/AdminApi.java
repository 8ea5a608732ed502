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

    /** {@code maxBodyBytes}: the largest request body taken (LINEGATE_MAX_BODY_BYTES, as on the send API). */
    public AdminApi(Operations operations, AdminAuthenticator authenticator, int maxBodyBytes,
                    long sessionMaxAgeSeconds, long sessionIdleSeconds) {
        AdminJson json = new AdminJson(maxBodyBytes);
        this.gate = new AdminGate(authenticator);
        this.session = new SessionController(authenticator, json, sessionMaxAgeSeconds, sessionIdleSeconds);
        this.accounts = new AccountsController(operations.accounts(), operations.tokens(), json);
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
}
