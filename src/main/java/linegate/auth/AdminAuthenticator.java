package linegate.auth;

import linegate.api.Refusal;
import linegate.store.operators.AdminSessions;
import linegate.store.operators.AdminTokens;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Resolves the callers of {@code /admin/v1}: an admin token ({@code lga_…}) or a console session opened with one.
 * An account's API token is refused here (401), as is anything unknown, revoked or ended; admin tokens live in a table
 * of their own, so one can never pass for a tsid on {@code /api/v2} either.
 * <p>
 * A session's CSRF token is derived from its cookie value (HMAC-SHA256 keyed by it): a page that can read its own
 * session's answers can present it, a page of another site (which cannot read the HttpOnly cookie, nor answers from
 * this origin) cannot, and nothing more is stored.
 */
public final class AdminAuthenticator {
    /** Longer than any admin token; a longer value is refused without hashing it. */
    static final int MAX_TOKEN_LENGTH = 512;
    private static final String TSID_PREFIX = "lgt_";
    private final AdminTokens tokens;
    private final AdminSessions sessions;

    public AdminAuthenticator(AdminTokens tokens, AdminSessions sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    /** A new console session: its cookie value (for the browser only) and the CSRF token its changes must carry. */
    public record SignIn(AdminCaller caller, String cookieValue, String csrfToken) {
        @Override
        public String toString() {
            return "SignIn[" + caller + ", cookieValue=[REDACTED], csrfToken=[REDACTED]]";
        }
    }

    /** The caller of a request with {@code Authorization: Bearer <token>}. */
    public AdminCaller bearer(Optional<String> token) {
        String value = token.map(String::strip).filter(t -> !t.isEmpty()).orElseThrow(() -> Refusal.unauthorized(
                "give an admin token as 'Authorization: Bearer lga_…' (create one with 'linegate admin-token create"
                        + " --label NAME'), or sign in to the console"));
        if (value.startsWith(TSID_PREFIX)) {
            throw Refusal.unauthorized("that is an account's API token (tsid); /admin/v1 takes an admin token"
                    + " (lga_…): create one with 'linegate admin-token create --label NAME'");
        }
        if (value.length() > MAX_TOKEN_LENGTH) {
            throw unknownToken();
        }
        AdminTokens.AdminToken found = tokens.use(value).orElseThrow(AdminAuthenticator::unknownToken);
        return new AdminCaller(found.id(), found.label(), Optional.empty());
    }

    /** The caller of a request that carries a session cookie. */
    public AdminCaller session(String cookieValue) {
        if (cookieValue.length() > MAX_TOKEN_LENGTH) {
            throw sessionEnded();
        }
        AdminSessions.Session s = sessions.use(cookieValue).orElseThrow(AdminAuthenticator::sessionEnded);
        return new AdminCaller(s.adminTokenId(), s.label(), Optional.of(s.id()));
    }

    /** Opens a console session with an admin token. */
    public SignIn signIn(Optional<String> token) {
        AdminCaller caller = bearer(token);
        String cookie = sessions.open(caller.adminTokenId());
        return new SignIn(caller, cookie, csrfTokenOf(cookie));
    }

    /** Ends the caller's console session, if it came through one. */
    public void signOut(AdminCaller caller) {
        caller.sessionId().ifPresent(sessions::end);
    }

    /** The CSRF token of the session with this cookie value. */
    public static String csrfTokenOf(String cookieValue) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cookieValue.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal("linegate console csrf".getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether {@code given} is the session's CSRF token, compared in constant time. */
    public static boolean csrfMatches(String cookieValue, Optional<String> given) {
        return given.filter(g -> MessageDigest.isEqual(g.getBytes(StandardCharsets.UTF_8),
                csrfTokenOf(cookieValue).getBytes(StandardCharsets.UTF_8))).isPresent();
    }

    private static Refusal unknownToken() {
        return Refusal.unauthorized("unknown or revoked admin token (see 'linegate admin-token list')");
    }

    private static Refusal sessionEnded() {
        return Refusal.unauthorized("the console session has ended (signed out, expired, or its admin token was"
                + " revoked): sign in again");
    }
}
