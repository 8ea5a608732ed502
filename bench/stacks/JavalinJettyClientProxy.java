import io.javalin.Javalin;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpMethod;

import java.net.URI;

/**
 * Null-proxy candidate: bench/NullProxy.java (Javalin 7 on virtual threads) with Jetty's HttpClient in place of
 * java.net.http: the server Linegate has today, the client it already ships for callbacks.
 * Usage: java -cp target/linegate.jar bench/stacks/JavalinJettyClientProxy.java PORT GRAPH_URL
 */
public class JavalinJettyClientProxy {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        URI graph = URI.create(args[1] + "/v25.0/me/messages");
        HttpClient http = new HttpClient();
        http.setMaxConnectionsPerDestination(1000); // Linegate's LINEGATE_GRAPH_MAX_IN_FLIGHT
        http.setFollowRedirects(false);
        http.start();
        Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.jetty.port = port;
            config.routes.post("/api/v2/MakeInstagram.php", ctx -> {
                ContentResponse r = http.newRequest(graph).method(HttpMethod.POST)
                        .body(new BytesRequestContent("application/json", ctx.bodyAsBytes())).send();
                ctx.contentType("application/json").result("{\"return\":{\"status\":\"OK\",\"status_code\":200,\"meta\":"
                        + r.getContentAsString() + "}}");
            });
        }).start();
        System.out.println("javalin + jetty client null proxy on " + port);
    }
}
