package linegate.meta;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.RedirectProtocolHandler;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

import java.time.Duration;

/**
 * The connections to the Graph API: one Jetty {@link HttpClient}, started, for {@link HttpGraphClient}.
 * <ul>
 *   <li>HTTPS negotiates HTTP/2 by ALPN, as Meta serves the Graph API, and falls back to HTTP/1.1 where a server offers
 *   only that; plain HTTP (a local stand-in) speaks HTTP/1.1 ({@link HttpGraphClient} asks for it).</li>
 *   <li>Bounded and warm: at most {@code maxInFlight} connections to a host, each closed by the client after
 *   {@link #IDLE} unused (kept while traffic flows). {@link SendSlots} already bounds the calls in flight to
 *   {@code maxInFlight}, so a destination's queue is sized never to refuse a call the slots let through; over HTTP/1.1
 *   each call in flight needs its own connection, over HTTP/2 Jetty opens another only when one carries the server's
 *   maximum of streams.</li>
 *   <li>No redirects, no cookies, no authentication handlers: every answer reaches
 *   {@link HttpGraphClient#read} as Meta sent it, and nothing of one line's call is carried into another's.</li>
 *   <li>Daemon threads, so a command that never closed the client still exits.</li>
 * </ul>
 */
final class GraphConnections {
    /**
     * An idle connection is closed by the client after this long. Meta does not document its own idle timeout; 30 s is
     * below nginx's default (75 s) and common load balancers' (60 s), so the client, rather than the server, usually
     * closes an idle HTTP/1.1 connection, and a send rarely meets one the server is closing under it.
     */
    static final Duration IDLE = Duration.ofSeconds(30);
    /** The client's own threads: its selector and the I/O events of every connection. */
    static final int MAX_THREADS = 32;

    private GraphConnections() {
    }

    static HttpClient start(Duration connectTimeout, int maxInFlight, SslContextFactory.Client tls) {
        // the threads only run I/O events and complete the callers' futures (the callers wait on their own virtual
        // threads), so a few dozen carry thousands of calls; Jetty's default of 200 costs stacks for nothing
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("linegate-graph");
        threads.setDaemon(true);
        ClientConnector connector = new ClientConnector();
        connector.setExecutor(threads);
        connector.setScheduler(new ScheduledExecutorScheduler("linegate-graph-scheduler", true));
        connector.setSslContextFactory(tls);
        connector.setConnectTimeout(connectTimeout);
        connector.setIdleTimeout(IDLE);
        // h2 first: over TLS, ALPN offers both in this order; plain http uses the version the request names
        HTTP2Client http2 = new HTTP2Client(connector);
        http2.setUseInputDirectByteBuffers(false);
        http2.setUseOutputDirectByteBuffers(false);
        HttpClientTransportDynamic transport = new HttpClientTransportDynamic(connector,
                new ClientConnectionFactoryOverHTTP2.HTTP2(http2), HttpClientConnectionFactory.HTTP11);
        HttpClient http = new HttpClient(transport);
        http.setExecutor(threads);
        http.setScheduler(connector.getScheduler());
        http.setConnectTimeout(connectTimeout.toMillis());
        http.setIdleTimeout(IDLE.toMillis());
        http.setFollowRedirects(false);
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        http.setMaxConnectionsPerDestination(maxInFlight);
        // twice the slots: an exchange aborted at its timeout may leave the queue a moment after its slot is free
        http.setMaxRequestsQueuedPerDestination((int) Math.min(Integer.MAX_VALUE, 2L * maxInFlight));
        // heap buffers: their memory is inside the heap limit (docs/operations.md, Memory); direct ones, pooled up to
        // an eighth of the heap limit per pool and freed only by a collection, came on top of it
        http.setUseInputDirectByteBuffers(false);
        http.setUseOutputDirectByteBuffers(false);
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Linegate/1"));
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client for Meta's Graph API", e);
        }
        // a 401 (Meta's answer to a bad token) or a 3xx reaches read() as it came: never a second request
        http.getProtocolHandlers().remove(RedirectProtocolHandler.NAME);
        http.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
        http.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
        return http;
    }
}
