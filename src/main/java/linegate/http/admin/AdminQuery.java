package linegate.http.admin;

import io.javalin.http.Context;
import linegate.api.Refusal;

import java.util.Optional;

/** The admin API's path and query parameters: ids, the page size, the cursor, filters. */
final class AdminQuery {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private AdminQuery() {
    }

    /** A path id; one that cannot be an id names nothing, so 404. */
    static long id(Context ctx, String what) {
        String raw = ctx.pathParam("id");
        if (!raw.matches("[0-9]{1,18}") || Long.parseLong(raw) == 0) {
            throw Refusal.notFound(what + " ids are positive whole numbers: no such " + what);
        }
        return Long.parseLong(raw);
    }

    static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        if (!raw.matches("[0-9]{1,4}") || Integer.parseInt(raw) < 1 || Integer.parseInt(raw) > MAX_LIMIT) {
            throw Refusal.invalid("limit must be a whole number from 1 to " + MAX_LIMIT + " (default " + DEFAULT_LIMIT
                    + ")");
        }
        return Integer.parseInt(raw);
    }

    static Optional<String> cursor(Context ctx) {
        return text(ctx, "cursor");
    }

    static Optional<String> text(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(v -> !v.isEmpty());
    }

    /** A filter by id: a positive whole number. */
    static Optional<Long> filterId(Context ctx, String name) {
        Optional<String> raw = text(ctx, name);
        if (raw.isPresent() && (!raw.get().matches("[0-9]{1,18}") || Long.parseLong(raw.get()) == 0)) {
            throw Refusal.invalid(name + " must be a positive whole number (an id)");
        }
        return raw.map(Long::parseLong);
    }
}
