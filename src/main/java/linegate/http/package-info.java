/**
 * Javalin glue only: the route table, the API gate (parameters, then authentication), controllers that translate HTTP
 * to one service call, and the single error mapper that writes the {@code {"return":{...}}} envelope; and the OpenAPI
 * document of all of it ({@code GET /openapi.json}, from resources/openapi/linegate.yaml).
 * The only package that imports Javalin. Imports neither store nor config: the services turn a store failure into an
 * ApiException, and the composition root hands http plain values.
 */
package linegate.http;
