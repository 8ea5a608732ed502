import io.javalin.Javalin;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.RedirectProtocolHandler;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling of a two-hop gateway on Linegate's own stack: the server and the Graph client Linegate runs, forwarding
 * each request to the Graph stub, with no database, no checks, no log, no JSON. Kept the same as Linegate where it
 * costs per request, so "Linegate ÷ null proxy" measures Linegate's own work:
 * <ul>
 *   <li>server: Javalin 7 on virtual threads, Jetty's header cache off, heap buffers, an accept queue of 4,096
 *   (linegate.http.HttpServer);</li>
 *   <li>client: Jetty's HttpClient as linegate.meta.GraphConnections builds it (the dynamic HTTP/2 + HTTP/1.1
 *   transport, 32 daemon threads, heap buffers, no redirects, cookies or authentication handlers, at most 1,000
 *   connections, 2,000 queued, a 30 s idle timeout), each request HTTP/1.1 to the plain-http stub with a whole-answer
 *   timeout, as linegate.meta.HttpGraphClient sends it.</li>
 * </ul>
 * A copy, not a call into Linegate: GraphConnections is package-private, and HttpGraphClient would add its JSON.
 * Usage: java -cp target/linegate.jar bench/NullProxy.java PORT GRAPH_URL
 */
public class NullProxy {
    static final int MAX_IN_FLIGHT = 1000; // LINEGATE_GRAPH_MAX_IN_FLIGHT's default
    static final Duration TIMEOUT = Duration.ofSeconds(30); // bench/run.sh's LINEGATE_GRAPH_TIMEOUT_MS
    static final Duration IDLE = Duration.ofSeconds(30); // GraphConnections.IDLE

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        URI graph = URI.create(args[1] + "/v25.0/me/messages");
        HttpClient http = graphClient();
        Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.jetty.port = port;
            config.jetty.modifyServer(server -> server.addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                    for (var connector : server.getConnectors()) {
                        if (connector instanceof ServerConnector serverConnector) {
                            serverConnector.setAcceptQueueSize(4096);
                        }
                    }
                }
            }));
            config.jetty.modifyHttpConfiguration(h -> {
                h.setHeaderCacheSize(0);
                h.setUseInputDirectByteBuffers(false);
                h.setUseOutputDirectByteBuffers(false);
            });
            config.routes.post("/api/v2/MakeInstagram.php", ctx -> {
                ContentResponse r = new CompletableResponseListener(http.newRequest(graph)
                        .method(HttpMethod.POST)
                        .version(HttpVersion.HTTP_1_1)
                        .timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .idleTimeout(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS)
                        .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer EAAGbench")
                                .put(HttpHeader.ACCEPT, "application/json"))
                        .body(new BytesRequestContent("application/json", ctx.bodyAsBytes())), 1 << 20)
                        .send().get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
                ctx.contentType("application/json").result("{\"return\":{\"status\":\"OK\",\"status_code\":200,\"meta\":"
                        + new String(r.getContent(), StandardCharsets.UTF_8) + "}}");
            });
        }).start();
        System.out.println("null proxy on " + port);
    }

    /** linegate.meta.GraphConnections.start, setting for setting (no TLS: the stub is plain http). */
    static HttpClient graphClient() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("linegate-graph");
        threads.setDaemon(true);
        ClientConnector connector = new ClientConnector();
        connector.setExecutor(threads);
        connector.setScheduler(new ScheduledExecutorScheduler("linegate-graph-scheduler", true));
        connector.setConnectTimeout(TIMEOUT);
        connector.setIdleTimeout(IDLE);
        HTTP2Client http2 = new HTTP2Client(connector);
        http2.setUseInputDirectByteBuffers(false);
        http2.setUseOutputDirectByteBuffers(false);
        HttpClient http = new HttpClient(new HttpClientTransportDynamic(connector,
                new ClientConnectionFactoryOverHTTP2.HTTP2(http2), HttpClientConnectionFactory.HTTP11));
        http.setExecutor(threads);
        http.setScheduler(connector.getScheduler());
        http.setConnectTimeout(TIMEOUT.toMillis());
        http.setIdleTimeout(IDLE.toMillis());
        http.setFollowRedirects(false);
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        http.setMaxConnectionsPerDestination(MAX_IN_FLIGHT);
        http.setMaxRequestsQueuedPerDestination(2 * MAX_IN_FLIGHT);
        http.setUseInputDirectByteBuffers(false);
        http.setUseOutputDirectByteBuffers(false);
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Linegate/1"));
        http.start();
        http.getProtocolHandlers().remove(RedirectProtocolHandler.NAME);
        http.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
        http.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
        return http;
    }
}
