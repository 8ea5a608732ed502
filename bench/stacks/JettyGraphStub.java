import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/GraphStub.java's answer (Meta's Send API success, at once) from a server that speaks HTTP/1.1 and HTTP/2
 * cleartext with prior knowledge on one port, so one client can be measured over both against the same stub. The JDK's
 * HttpServer, which GraphStub uses, has no HTTP/2.
 * Usage: java -cp CP bench/stacks/JettyGraphStub.java PORT
 */
public class JettyGraphStub {
    public static void main(String[] args) throws Exception {
        AtomicLong ids = new AtomicLong();
        Server server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(config);
        h2c.setMaxConcurrentStreams(1024);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config), h2c);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Source.consumeAll(request, Callback.from(() -> {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                    Content.Sink.write(response, true, "{\"recipient_id\":\"1254477777772919\",\"message_id\":\"m_bench_"
                            + ids.incrementAndGet() + "\"}", callback);
                }, callback::failed));
                return true;
            }
        });
        server.start();
        System.out.println("jetty graph stub (HTTP/1.1 and h2c) on " + args[0]);
        server.join();
    }
}
