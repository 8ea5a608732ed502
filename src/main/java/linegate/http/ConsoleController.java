package linegate.http;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The operators' web console: static files from the jar's {@code console/} folder (docs/operations.md, "Console"),
 * served at {@code /console/}. The console itself only calls {@code /admin/v1/*}, which authenticates it; these files
 * hold no data, so they are served to anyone.
 *
 * <p>Every answer carries a Content-Security-Policy that allows only this origin's own scripts, styles and requests,
 * no inline script or style, no plugins and no framing: text from customers that ever reached the page as markup could
 * still not run. It also requires Trusted Types for scripts: the console never assigns markup or script text from a
 * string (it builds elements and sets text), so a browser that knows Trusted Types refuses any such assignment, and
 * one added later by mistake fails at once instead of becoming a way in (MDN, "require-trusted-types-for":
 * https://developer.mozilla.org/docs/Web/HTTP/Reference/Headers/Content-Security-Policy/require-trusted-types-for).
 */
final class ConsoleController {
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "require-trusted-types-for 'script'");
    /** One flat folder of files, named in lower case: the pattern also keeps any other path of the jar out of reach. */
    private static final Pattern FILE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}\\.(html|js|css|svg)");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html;charset=utf-8",
            "js", "text/javascript;charset=utf-8",
            "css", "text/css;charset=utf-8",
            "svg", "image/svg+xml");

    /** The files found so far (names that were not found are not kept, so guessed names cannot fill it). */
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /** The console's page, at {@code /console/} (and {@code /console}: its links are absolute). */
    void page(Context ctx) {
        serve(ctx, "index.html");
    }

    /** One of the page's scripts or styles, by name; any other name answers 404. */
    void file(Context ctx) {
        serve(ctx, ctx.pathParam("file"));
    }

    private void serve(Context ctx, String name) {
        secure(ctx);
        Optional<byte[]> body = FILE_NAME.matcher(name).matches() ? file(name) : Optional.empty();
        if (body.isEmpty()) {
            ctx.status(404).contentType("text/plain;charset=utf-8").result("no such console file\n");
            return;
        }
        // the files change only with the jar; revalidating every time keeps an upgraded node's console current
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1))).result(body.get());
    }

    private static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    }

    private Optional<byte[]> file(String name) {
        byte[] known = files.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<byte[]> loaded = load(name);
        loaded.ifPresent(bytes -> files.put(name, bytes));
        return loaded;
    }

    private static Optional<byte[]> load(String name) {
        try (InputStream in = ConsoleController.class.getResourceAsStream("/console/" + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the console's " + name + " from the jar", e);
        }
    }
}
