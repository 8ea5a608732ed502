import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Null-proxy candidate: Vert.x 5 (Netty event loops, nothing blocks) with vertx-web's Router and its WebClient. One
 * verticle per core, each with its own server (Vert.x shares the port among them) and client; the client speaks
 * HTTP/1.1, or HTTP/2 cleartext with prior knowledge (h2c; the stub must speak it, bench/stacks/JettyGraphStub.java does).
 * With vthreads, the verticles run on virtual threads and the handler blocks (awaits the call), the way Linegate's
 * handlers are written; without, the handler chains callbacks on the event loop.
 * Usage: java -cp CP bench/stacks/VertxProxy.java PORT GRAPH_URL [h1|h2c] [async|vthreads]
 */
public class VertxProxy {
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        String graph = args[1] + "/v25.0/me/messages";
        boolean h2c = args.length > 2 && args[2].equals("h2c");
        boolean blocking = args.length > 3 && args[3].equals("vthreads");
        WebClientOptions options = new WebClientOptions().setFollowRedirects(false);
        if (h2c) {
            options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
        }
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start() {
                WebClient client = WebClient.create(vertx, options,
                        new PoolOptions().setHttp1MaxSize(1000 / Runtime.getRuntime().availableProcessors()));
                Router router = Router.router(vertx);
                var route = router.post("/api/v2/MakeInstagram.php").handler(BodyHandler.create());
                if (blocking) {
                    route.handler(ctx -> {
                        var meta = client.postAbs(graph).putHeader("Content-Type", "application/json")
                                .sendBuffer(ctx.body().buffer()).await();
                        ctx.response().putHeader("Content-Type", "application/json").end(envelope(meta.bodyAsString()));
                    });
                } else {
                    route.handler(ctx -> client.postAbs(graph).putHeader("Content-Type", "application/json")
                            .sendBuffer(ctx.body().buffer())
                            .onSuccess(meta -> ctx.response().putHeader("Content-Type", "application/json")
                                    .end(envelope(meta.bodyAsString())))
                            .onFailure(ctx::fail));
                }
                vertx.createHttpServer(new HttpServerOptions().setAcceptBacklog(4096)).requestHandler(router).listen(port);
            }
        }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())
                .setThreadingModel(blocking ? ThreadingModel.VIRTUAL_THREAD : ThreadingModel.EVENT_LOOP))
                .onSuccess(id -> System.out.println("vert.x null proxy on " + port))
                .onFailure(e -> { e.printStackTrace(); System.exit(1); })
                .toCompletionStage().toCompletableFuture().join();
        // virtual-thread verticles leave no platform thread that keeps the JVM alive
        Thread.currentThread().join();
    }

    static String envelope(String meta) {
        return "{\"return\":{\"status\":\"OK\",\"status_code\":200,\"meta\":" + meta + "}}";
    }
}
