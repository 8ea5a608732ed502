import io.javalin.Javalin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Null-proxy candidate (a), the stack before issue 12: Javalin 7 on virtual threads with java.net.http as the client,
 * forwarding each request to the Graph stub, with no database, no checks, no log. Was bench/NullProxy.java until the
 * Graph client moved to Jetty's HttpClient; bench/NullProxy.java is now the chosen stack.
 * Usage: java -cp target/linegate.jar bench/stacks/JavalinJdkClientProxy.java PORT GRAPH_URL
 */
public class JavalinJdkClientProxy {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        URI graph = URI.create(args[1] + "/v25.0/me/messages");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.jetty.port = port;
            config.routes.post("/api/v2/MakeInstagram.php", ctx -> {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(graph)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes())).build(),
                        HttpResponse.BodyHandlers.ofString());
                ctx.contentType("application/json").result("{\"return\":{\"status\":\"OK\",\"status_code\":200,\"meta\":"
                        + r.body() + "}}");
            });
        }).start();
        System.out.println("null proxy on " + port);
    }
}
