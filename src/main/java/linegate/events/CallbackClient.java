package linegate.events;

import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Posts callbacks, asynchronously (a hanging endpoint holds a connection, never a thread). Jetty's client connects to
 * the addresses its {@link SocketAddressResolver} returns, and this one returns only addresses that
 * {@link CallbackAddresses} resolved and allowed in the same step: a name that answers differently a moment later
 * (DNS rebinding) cannot lead the connection elsewhere. The Host header and TLS's SNI and certificate check keep the
 * URL's host name. Redirects are not followed: a 3xx is a failed attempt.
 */
public final class CallbackClient implements AutoCloseable {
    /** A 2xx within this long delivers; anything slower is a failed attempt. */
    public static final long TIMEOUT_SECONDS = 10;

    /** What one attempt came to; {@code error} is short, names no secret and quotes no response body. */
    public sealed interface Attempt {
        record Delivered(int status) implements Attempt {
        }

        record Failed(String error) implements Attempt {
        }
    }

    private final HttpClient http;

    public CallbackClient(CallbackAddresses addresses) {
        http = new HttpClient();
        http.setFollowRedirects(false);
        http.setConnectTimeout(TimeUnit.SECONDS.toMillis(5));
        http.setIdleTimeout(TimeUnit.SECONDS.toMillis(30));
        http.setUserAgentField(new org.eclipse.jetty.http.HttpField("User-Agent", "Linegate-Callbacks/1"));
        http.setSocketAddressResolver(new CheckedResolver(addresses));
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the callbacks' HTTP client", e);
        }
    }

    /** Posts {@code body} with {@code headers}; completes with the outcome, never exceptionally. */
    public CompletableFuture<Attempt> post(URI url, Map<String, String> headers, byte[] body) {
        CompletableFuture<Attempt> done = new CompletableFuture<>();
        Request request = http.POST(url)
                .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .body(new BytesRequestContent("application/json", body));
        headers.forEach((name, value) -> request.headers(h -> h.put(name, value)));
        request.send(result -> {
            if (result.isFailed()) {
                done.complete(new Attempt.Failed(describe(result.getFailure())));
                return;
            }
            int status = result.getResponse().getStatus();
            done.complete(status >= 200 && status < 300 ? new Attempt.Delivered(status)
                    : new Attempt.Failed("HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "")));
        });
        return done;
    }

    private static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RefusedCallbackUrlException refused) {
                return refused.getMessage();
            }
            if (t instanceof TimeoutException) {
                return "no answer within " + TIMEOUT_SECONDS + " s";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
        }
        String message = failure.getMessage();
        String kind = failure.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + (message.length() > 200 ? message.substring(0, 200) : message);
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // closing at shutdown: the connections go with the process
        }
    }

    /** Resolves and checks on a virtual thread (name look-ups block), and hands Jetty only the allowed addresses. */
    private record CheckedResolver(CallbackAddresses addresses) implements SocketAddressResolver {
        @Override
        public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
            Thread.ofVirtual().name("linegate-callback-resolve").start(() -> {
                List<InetAddress> allowed;
                try {
                    allowed = addresses.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
                } catch (RuntimeException e) {
                    promise.failed(e);
                    return;
                }
                promise.succeeded(allowed.stream().map(a -> new InetSocketAddress(a, port)).toList());
            });
        }
    }
}
