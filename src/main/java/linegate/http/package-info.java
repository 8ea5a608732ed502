/**
 * Javalin glue only: the route table, the API gate (parameters, then authentication), controllers that translate HTTP
 * to one service call, the single error mapper that writes the {@code {"return":{...}}} envelope, the web
 * console's static files ({@link linegate.http.ConsoleController}; the console itself calls only {@code /admin/v1}),
 * and the OpenAPI document of all of it ({@code GET /openapi.json}, from resources/openapi/linegate.yaml).
 * The only package that imports Javalin. Imports neither store nor config: the services turn a store failure into an
 * ApiException, and the composition root hands http plain values.
 */
package linegate.http;
