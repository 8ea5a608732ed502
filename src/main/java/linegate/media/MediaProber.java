package linegate.media;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a media URL what it would give Meta, within one time bound for the whole exchange: {@code HEAD}; where HEAD is
 * refused (400, 403 as signed storage URLs answer it, 405, 501), or answers without a size, {@code GET} with
 * {@code Range: bytes=0-0}, whose body is never read. Redirects are followed by hand, at most {@link #MAX_REDIRECTS},
 * each to an http or https URL whose host is resolved and checked again ({@link PinnedResolver}).
 */
final class MediaProber implements AutoCloseable {
    static final int MAX_REDIRECTS = 3;
    private static final Set<Integer> HEAD_REFUSED = Set.of(400, 403, 405, 501);

    /** One request's result: the status and headers, or why there were none. */
    private sealed interface Reply {
        record Got(int status, HttpFields headers) implements Reply {
        }

        record Failed(String why) implements Reply {
        }
    }

    private final HttpClient http;
    private final Duration timeout;

    MediaProber(PinnedResolver resolver, Duration timeout) {
        this.timeout = timeout;
        http = new HttpClient();
        http.setFollowRedirects(false);
        http.setConnectTimeout(timeout.toMillis());
        http.setIdleTimeout(TimeUnit.SECONDS.toMillis(30));
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Linegate-Media-Check/1"));
        // sizes as the file is stored: a compressed representation's length is not the size Meta fetches
        http.getContentDecoderFactories().clear();
        http.setSocketAddressResolver(resolver);
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the media checks' HTTP client", e);
        }
    }

    /** What {@code url} answered; never throws for anything the server does. */
    MediaProbe probe(URI url) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI at = url;
        for (int redirects = 0; ; redirects++) {
            String hop = redirects == 0 ? "the media URL" : "redirect " + redirects + " (to " + at.getHost() + ")";
            String scheme = at.getScheme() == null ? "" : at.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || at.getHost() == null) {
                return new MediaProbe.Unreachable("redirect " + redirects + " leads to a URL that is not http(s)"
                        + " with a host; only http and https are followed");
            }
            Reply reply = ask(at, HttpMethod.HEAD, deadline, hop);
            if (reply instanceof Reply.Got head && HEAD_REFUSED.contains(head.status())) {
                reply = ask(at, HttpMethod.GET, deadline, hop);
            } else if (reply instanceof Reply.Got head && isSuccess(head.status()) && size(head).isEmpty()) {
                // the ranged GET's Content-Range may state the size; if it fails, HEAD's answer stands
                if (ask(at, HttpMethod.GET, deadline, hop) instanceof Reply.Got ranged && isSuccess(ranged.status())) {
                    reply = ranged;
                }
            }
            switch (reply) {
                case Reply.Failed failed -> {
                    return new MediaProbe.Unreachable(failed.why());
                }
                case Reply.Got got when isSuccess(got.status()) -> {
                    return new MediaProbe.Answered(got.status(), type(got), size(got), redirects);
                }
                case Reply.Got got when isRedirect(got.status()) -> {
                    if (redirects == MAX_REDIRECTS) {
                        return new MediaProbe.Unreachable("the media URL redirects more than " + MAX_REDIRECTS
                                + " times; Linegate follows at most " + MAX_REDIRECTS + ": link the file itself");
                    }
                    Optional<URI> next = location(at, got);
                    if (next.isEmpty()) {
                        return new MediaProbe.Unreachable(hop + " answered HTTP " + got.status()
                                + " without a usable Location");
                    }
                    at = next.get();
                }
                case Reply.Got got -> {
                    return new MediaProbe.Unreachable(hop + " answered HTTP " + got.status()
                            + ": Meta could not fetch it; check that the file exists and is public");
                }
            }
        }
    }

    private Reply ask(URI url, HttpMethod method, long deadline, String hop) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            return new Reply.Failed(noAnswer(hop));
        }
        Request request = http.newRequest(url).method(method).timeout(left, TimeUnit.MILLISECONDS);
        if (method == HttpMethod.GET) {
            request.headers(h -> h.put(HttpHeader.RANGE, "bytes=0-0"));
        }
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        try {
            Response response = listener.get(left, TimeUnit.MILLISECONDS);
            return new Reply.Got(response.getStatus(), response.getHeaders());
        } catch (TimeoutException e) {
            request.abort(e);
            return new Reply.Failed(noAnswer(hop));
        } catch (ExecutionException e) {
            return new Reply.Failed(describe(e.getCause(), hop));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            return new Reply.Failed("the media check was interrupted (Linegate is stopping)");
        } finally {
            try {
                listener.getInputStream().close(); // a GET's body is never read: closing aborts it
            } catch (IOException e) {
                // nothing was read; the connection is discarded
            }
        }
    }

    private String noAnswer(String hop) {
        return hop + " gave no answer within " + timeout.toMillis() + " ms (the media check's time bound)";
    }

    private String describe(Throwable failure, String hop) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PinnedResolver.RefusedHostException refused) {
                return hop + "'s host " + refused.getMessage();
            }
            if (t instanceof TimeoutException) {
                return noAnswer(hop);
            }
            if (t instanceof ConnectException) {
                return hop + " refused the connection";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return hop + " failed its TLS handshake (Meta needs a valid certificate for the host name)";
            }
        }
        return hop + " could not be fetched: the connection failed before an answer";
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static Optional<URI> location(URI base, Reply.Got got) {
        String location = got.headers().get(HttpHeader.LOCATION);
        if (location == null || location.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(base.resolve(new URI(location.strip())));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> type(Reply.Got got) {
        String raw = got.headers().get(HttpHeader.CONTENT_TYPE);
        if (raw == null) {
            return Optional.empty();
        }
        String type = raw.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.isEmpty() ? Optional.empty() : Optional.of(type);
    }

    /** A 206's total from {@code Content-Range: bytes 0-0/TOTAL}; any other answer's {@code Content-Length}. */
    private static OptionalLong size(Reply.Got got) {
        if (got.status() == 206) {
            String range = got.headers().get(HttpHeader.CONTENT_RANGE);
            int slash = range == null ? -1 : range.lastIndexOf('/');
            return slash < 0 ? OptionalLong.empty() : number(range.substring(slash + 1));
        }
        String length = got.headers().get(HttpHeader.CONTENT_LENGTH);
        return length == null ? OptionalLong.empty() : number(length);
    }

    private static OptionalLong number(String text) {
        String t = text.strip();
        if (!t.matches("[0-9]{1,18}")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(t));
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // closing at shutdown: the connections go with the process
        }
    }
}
