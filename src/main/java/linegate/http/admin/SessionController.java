package linegate.http.admin;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import linegate.auth.AdminAuthenticator;
import linegate.auth.AdminCaller;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's session, {@code /admin/v1/session}: POST signs in with an admin token (JSON {@code {"token":"lga_…"}}
 * or {@code Authorization: Bearer lga_…}) and sets the session cookie ({@code HttpOnly; SameSite=Strict; Path=/},
 * {@code Secure} over https); GET says who is signed in, with the session's CSRF token; DELETE signs out.
 */
public final class SessionController {
    static final String PATH = "/admin/v1/session";
    private final AdminAuthenticator authenticator;
    private final AdminJson json;
    private final long maxAgeSeconds;
    private final long idleSeconds;

    SessionController(AdminAuthenticator authenticator, AdminJson json, long maxAgeSeconds, long idleSeconds) {
        this.authenticator = authenticator;
        this.json = json;
        this.maxAgeSeconds = maxAgeSeconds;
        this.idleSeconds = idleSeconds;
    }

    static boolean isSignIn(Context ctx) {
        return ctx.method() == HandlerType.POST && ctx.path().equals(PATH);
    }

    public void signIn(Context ctx) {
        AdminGate.requireSameOrigin(ctx);
        Optional<String> token = AdminGate.bearer(ctx.header("Authorization"));
        if (token.isEmpty()) {
            token = json.body(ctx, List.of("token")).text("token");
        }
        AdminAuthenticator.SignIn signIn = authenticator.signIn(token);
        ctx.header("Set-Cookie", AdminGate.COOKIE + "=" + signIn.cookieValue() + "; Path=/; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (AdminGate.secure(ctx) ? "; Secure" : ""));
        AdminJson.write(ctx, 201, fields(signIn.caller(), Optional.of(signIn.csrfToken())));
    }

    public void current(Context ctx) {
        AdminCaller caller = AdminGate.caller(ctx);
        Optional<String> csrf = caller.viaSession()
                ? Optional.of(AdminAuthenticator.csrfTokenOf(ctx.cookie(AdminGate.COOKIE))) : Optional.empty();
        AdminJson.write(ctx, 200, fields(caller, csrf));
    }

    public void signOut(Context ctx) {
        authenticator.signOut(AdminGate.caller(ctx));
        ctx.header("Set-Cookie", AdminGate.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (AdminGate.secure(ctx) ? "; Secure" : ""));
        ctx.status(204);
    }

    private Map<String, Object> fields(AdminCaller caller, Optional<String> csrf) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("admin_token_id", caller.adminTokenId());
        m.put("label", caller.label());
        m.put("via", caller.viaSession() ? "session" : "bearer");
        m.put("csrf_token", csrf.orElse(null));
        m.put("idle_timeout_seconds", idleSeconds);
        m.put("max_age_seconds", maxAgeSeconds);
        return m;
    }
}
