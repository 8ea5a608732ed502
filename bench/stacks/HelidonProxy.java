import io.helidon.common.media.type.MediaTypes;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.HttpClient;
import io.helidon.webclient.http2.Http2Client;
import io.helidon.webserver.WebServer;

/**
 * Null-proxy candidate: Helidon SE 4 (its own server, a virtual thread per request, blocking handlers) forwarding to
 * the Graph stub with Helidon's WebClient over HTTP/1.1, or HTTP/2 cleartext with prior knowledge (h2c; the stub must
 * speak it, bench/stacks/JettyGraphStub.java does).
 * Usage: java -cp CP bench/stacks/HelidonProxy.java PORT GRAPH_URL [h1|h2c]
 */
public class HelidonProxy {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        boolean h2c = args.length > 2 && args[2].equals("h2c");
        HttpClient<?> client = h2c
                ? Http2Client.builder().baseUri(args[1]).followRedirects(false)
                        .protocolConfig(http2 -> http2.priorKnowledge(true)).build()
                : WebClient.builder().baseUri(args[1]).followRedirects(false)
                        // idle connections kept per host, so each of 64 concurrent callers keeps its own
                        .connectionCacheSize(1000).build();
        WebServer.builder()
                .port(port)
                .backlog(4096)
                .routing(routing -> routing.post("/api/v2/MakeInstagram.php", (req, res) -> {
                    byte[] body = req.content().as(byte[].class);
                    String meta = client.post("/v25.0/me/messages")
                            .contentType(MediaTypes.APPLICATION_JSON)
                            .submit(body, String.class)
                            .entity();
                    res.headers().contentType(MediaTypes.APPLICATION_JSON);
                    res.send("{\"return\":{\"status\":\"OK\",\"status_code\":200,\"meta\":" + meta + "}}");
                }))
                .build()
                .start();
        System.out.println("helidon null proxy on " + port);
    }
}
