package linegate.http.admin;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import linegate.api.Refusal;
import linegate.auth.AdminAuthenticator;
import linegate.auth.AdminCaller;
import linegate.http.BearerHeader;

import java.util.Optional;
import java.util.Set;

/**
 * Runs before every matched {@code /admin/v1} endpoint but the sign-in: lets in a request with
 * {@code Authorization: Bearer lga_…} (an admin token), or one with the console's session cookie. A cookie is sent by
 * the browser whoever made the page, so a session's changes (POST, PATCH, DELETE) must also carry the session's CSRF
 * token in {@code X-CSRF-Token}, which only a page of this origin can read, and, when the browser says where the
 * request came from ({@code Origin}, {@code Sec-Fetch-Site}), come from this origin. A bearer request needs neither:
 * a page of another site cannot set its Authorization header.
 */
public final class AdminGate {
    static final String CALLER = "linegate.admin.caller";
    public static final String COOKIE = "linegate_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);
    private final AdminAuthenticator authenticator;

    public AdminGate(AdminAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    public void handle(Context ctx) {
        if (SessionController.isSignIn(ctx)) {
            return; // the sign-in authenticates the token it is given
        }
        String authorization = ctx.header("Authorization");
        String cookie = ctx.cookie(COOKIE);
        AdminCaller caller;
        if (authorization != null || cookie == null) {
            caller = authenticator.bearer(bearer(authorization));
        } else {
            caller = authenticator.session(cookie);
            if (!SAFE.contains(ctx.method())) {
                requireSameOrigin(ctx);
                if (!AdminAuthenticator.csrfMatches(cookie, Optional.ofNullable(ctx.header(CSRF_HEADER)))) {
                    throw new Refusal(Refusal.Kind.FORBIDDEN, "a change made with the console's session needs the"
                            + " header " + CSRF_HEADER + " set to the session's csrf_token (POST or GET"
                            + " /admin/v1/session gives it)");
                }
            }
        }
        ctx.attribute(CALLER, caller);
    }

    static AdminCaller caller(Context ctx) {
        AdminCaller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw new IllegalStateException("no admin caller: the gate did not run for " + ctx.path());
        }
        return caller;
    }

    /** Refuses a request whose browser says it came from another origin than this server's. */
    static void requireSameOrigin(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw crossOrigin();
        }
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equalsIgnoreCase(ownOrigin(ctx))) {
            throw crossOrigin();
        }
    }

    /** This server's origin as the browser sees it; behind a proxy, as X-Forwarded-Proto and -Host say. */
    static String ownOrigin(Context ctx) {
        String host = firstValue(ctx.header("X-Forwarded-Host")).orElseGet(() -> ctx.header("Host"));
        return (secure(ctx) ? "https" : "http") + "://" + host;
    }

    /** Whether the browser reached this server over https (directly, or through a proxy that says so). */
    static boolean secure(Context ctx) {
        return firstValue(ctx.header("X-Forwarded-Proto")).map(p -> p.equalsIgnoreCase("https"))
                .orElseGet(() -> ctx.scheme().equalsIgnoreCase("https"));
    }

    private static Optional<String> firstValue(String header) {
        return Optional.ofNullable(header).map(h -> h.split(",")[0].strip()).filter(h -> !h.isEmpty());
    }

    private static Refusal crossOrigin() {
        return new Refusal(Refusal.Kind.FORBIDDEN, "this request came from a page of another origin; the console's"
                + " session only takes changes from the console itself");
    }

    static Optional<String> bearer(String header) {
        return BearerHeader.token(header);
    }
}
