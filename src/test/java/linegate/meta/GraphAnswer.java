package linegate.meta;

import javax.net.ssl.SSLSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An answer of the Send API as {@link HttpGraphClient#read} receives it, for reading tests that need no server. */
record GraphAnswer(int statusCode, String body, HttpHeaders headers) implements HttpResponse<String> {
    private static final URI MESSAGES = URI.create("https://graph.facebook.com/v25.0/me/messages");

    static GraphAnswer of(int status, String body, String... headerPairs) {
        Map<String, List<String>> headers = new HashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], List.of(headerPairs[i + 1]));
        }
        return new GraphAnswer(status, body, HttpHeaders.of(headers, (name, value) -> true));
    }

    @Override
    public HttpRequest request() {
        return HttpRequest.newBuilder(MESSAGES).build();
    }

    @Override
    public Optional<HttpResponse<String>> previousResponse() {
        return Optional.empty();
    }

    @Override
    public Optional<SSLSession> sslSession() {
        return Optional.empty();
    }

    @Override
    public URI uri() {
        return MESSAGES;
    }

    @Override
    public HttpClient.Version version() {
        return HttpClient.Version.HTTP_2;
    }
}
