import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.Executors;

/**
 * Null-proxy candidate: a Jetty 12 core Handler (no servlet layer, no Javalin) forwarding each request's body to the
 * Graph stub with Jetty's HttpClient, answering the envelope around the stub's answer.
 * MODE blocking: the handler runs on a virtual thread and blocks (reads the body, sends, waits), the way Linegate's
 * handlers are written. MODE async: nothing blocks; the body, the call and the answer are chained by callbacks.
 * CLIENT h1 (HTTP/1.1, a pool of keep-alive connections) or h2c (HTTP/2 cleartext with prior knowledge: one
 * multiplexed connection; the stub must speak it, bench/stacks/JettyGraphStub.java does).
 * Usage: java -cp CP bench/stacks/JettyProxy.java PORT GRAPH_URL blocking|async h1|h2c
 */
public class JettyProxy {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        URI graph = URI.create(args[1] + "/v25.0/me/messages");
        boolean async = args[2].equals("async");
        boolean h2c = args[3].equals("h2c");

        HttpClient client = new HttpClient(h2c ? new HttpClientTransportOverHTTP2(new HTTP2Client())
                : new HttpClientTransportOverHTTP());
        client.setMaxConnectionsPerDestination(1000); // Linegate's LINEGATE_GRAPH_MAX_IN_FLIGHT
        client.setFollowRedirects(false);
        client.start();

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        server.setHandler(async ? new Async(client, graph) : new Blocking(client, graph));
        server.start();
        System.out.println("jetty proxy (" + args[2] + ", " + args[3] + ") on " + port);
        server.join();
    }

    static String envelope(String meta) {
        return "{\"return\":{\"status\":\"OK\",\"status_code\":200,\"meta\":" + meta + "}}";
    }

    /** A BLOCKING handler (Handler.Abstract's default): Jetty runs it on a virtual thread, where blocking is cheap. */
    static final class Blocking extends Handler.Abstract {
        private final HttpClient client;
        private final URI graph;

        Blocking(HttpClient client, URI graph) {
            this.client = client;
            this.graph = graph;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            ByteBuffer body = Content.Source.asByteBuffer(request);
            ContentResponse meta = client.newRequest(graph).method(HttpMethod.POST)
                    .body(new ByteBufferRequestContent("application/json", body)).send();
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            Content.Sink.write(response, true, envelope(meta.getContentAsString()), callback);
            return true;
        }
    }

    /** A NON_BLOCKING handler: runs on Jetty's selector threads and never waits. */
    static final class Async extends Handler.Abstract.NonBlocking {
        private final HttpClient client;
        private final URI graph;

        Async(HttpClient client, URI graph) {
            this.client = client;
            this.graph = graph;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Content.Source.asByteBuffer(request, Promise.from(body -> client.newRequest(graph).method(HttpMethod.POST)
                    .body(new ByteBufferRequestContent("application/json", body))
                    .send(new BufferingResponseListener() {
                        @Override
                        public void onComplete(org.eclipse.jetty.client.Result result) {
                            if (result.isFailed()) {
                                callback.failed(result.getFailure());
                                return;
                            }
                            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                            Content.Sink.write(response, true, envelope(getContentAsString()), callback);
                        }
                    }), callback::failed));
            return true;
        }
    }
}
