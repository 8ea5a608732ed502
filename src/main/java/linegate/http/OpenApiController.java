package linegate.http;

import io.javalin.http.Context;

import java.util.Arrays;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 document of this API, for tools and generated clients. Read on the first
 * request, not at start-up (a node that is never asked pays nothing). Cacheable for a few minutes and then revalidated
 * by its ETag: it changes only with a new Linegate.
 */
final class OpenApiController {
    static final String PATH = "/openapi.json";
    /** The media type registered for OpenAPI documents (spec.openapis.org, "Media Types"). */
    static final String CONTENT_TYPE = "application/vnd.oai.openapi+json;version=3.1";
    static final String CACHE_CONTROL = "public, max-age=300";
    private volatile OpenApiDocument document;

    void document(Context ctx) {
        OpenApiDocument doc = loaded();
        ctx.header("Cache-Control", CACHE_CONTROL).header("ETag", doc.etag());
        if (matches(ctx.header("If-None-Match"), doc.etag())) {
            ctx.status(304);
            return;
        }
        ctx.contentType(CONTENT_TYPE).result(doc.json());
    }

    private OpenApiDocument loaded() {
        OpenApiDocument doc = document;
        if (doc == null) {
            synchronized (this) {
                if (document == null) {
                    document = OpenApiDocument.load();
                }
                doc = document;
            }
        }
        return doc;
    }

    /** RFC 9110 13.1.2: a list of entity tags, or {@code *}; weak comparison, as If-None-Match asks. */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(",")).map(String::strip)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag));
    }
}
