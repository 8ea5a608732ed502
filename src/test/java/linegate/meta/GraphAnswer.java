package linegate.meta;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** An answer of the Send API as {@link HttpGraphClient#read} receives it, for reading tests that need no server. */
record GraphAnswer(int status, String body, HttpFields headers) implements ContentResponse {
    static GraphAnswer of(int status, String body, String... headerPairs) {
        HttpFields.Mutable headers = HttpFields.build();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        return new GraphAnswer(status, body, headers.asImmutable());
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public HttpFields getHeaders() {
        return headers;
    }

    @Override
    public byte[] getContent() {
        return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String getContentAsString() {
        return body;
    }

    @Override
    public String getMediaType() {
        return "application/json";
    }

    @Override
    public String getEncoding() {
        return "UTF-8";
    }

    @Override
    public Request getRequest() {
        return null;
    }

    @Override
    public HttpVersion getVersion() {
        return HttpVersion.HTTP_2;
    }

    @Override
    public String getReason() {
        return null;
    }

    @Override
    public HttpFields getTrailers() {
        return HttpFields.EMPTY;
    }

    @Override
    public CompletableFuture<Boolean> abort(Throwable cause) {
        return CompletableFuture.completedFuture(false);
    }
}
