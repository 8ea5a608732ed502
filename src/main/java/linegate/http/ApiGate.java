package linegate.http;

import io.javalin.http.Context;
import linegate.api.Params;
import linegate.auth.Authenticator;

import java.util.Optional;

/**
 * Runs before every matched {@code /api/} endpoint: reads the parameters (201, 202) and authenticates the caller
 * (100, 101), in that documented order, then hands both to the handler as request attributes.
 */
final class ApiGate {
    static final String PARAMS = "linegate.params";
    static final String ACCOUNT = "linegate.account";
    private final RequestReader reader;
    private final Authenticator authenticator;

    ApiGate(RequestReader reader, Authenticator authenticator) {
        this.reader = reader;
        this.authenticator = authenticator;
    }

    void handle(Context ctx) {
        Params params = reader.read(ctx);
        long account = authenticator.accountOf(params.text("tsid").or(() -> bearer(ctx.header("Authorization"))));
        ctx.attribute(PARAMS, params);
        ctx.attribute(ACCOUNT, account);
    }

    static Optional<String> bearer(String header) {
        return BearerHeader.token(header);
    }
}
