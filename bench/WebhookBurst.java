import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A burst of signed Meta webhook deliveries against a running Linegate, measuring how long the 200 takes, with the
 * latency of GET /health measured in the same run at the same concurrency as the baseline (the ratio is what counts
 * on a shared, noisy machine). Each delivery is a distinct Instagram message (its own mid), signed like Meta signs.
 *
 * Run with the JDK's single-file launcher: java bench/WebhookBurst.java BASE_URL SECRET IG_ACCOUNT_ID REQUESTS CONCURRENCY
 */
public class WebhookBurst {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        String secret = args[1];
        String igAccount = args[2];
        int requests = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        // warm-up: JIT and connection pool, not measured
        run(http, requests / 5, concurrency, i -> health(base));
        run(http, requests / 5, concurrency, i -> delivery(base, secret, igAccount, "warm-" + i));

        Result health = run(http, requests, concurrency, i -> health(base));
        Result webhook = run(http, requests, concurrency, i -> delivery(base, secret, igAccount, "burst-" + i));
        long drainStart = System.nanoTime();
        while (backlog(http, base) > 0 && System.nanoTime() - drainStart < Duration.ofMinutes(5).toNanos()) {
            Thread.sleep(50);
        }
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;

        System.out.printf("| what | requests | concurrency | req/s | p50 ms | p99 ms | max ms | errors |%n");
        System.out.printf("|---|---|---|---|---|---|---|---|%n");
        health.print("GET /health (baseline)", concurrency);
        webhook.print("POST /webhooks/meta (signed, stored, 200)", concurrency);
        System.out.printf("%nwebhook/health ratio: p50 %.2f, p99 %.2f, throughput %.2f%n",
                webhook.p(50) / health.p(50), webhook.p(99) / health.p(99), webhook.rate / health.rate);
        System.out.printf("backlog drained %.1f s after the burst ended (events applied after the 200)%n", drainSeconds);
    }

    interface RequestFactory {
        HttpRequest make(int i);
    }

    record Result(List<Double> millis, int errors, double rate) {
        double p(int percentile) {
            List<Double> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
        }

        void print(String what, int concurrency) {
            System.out.printf("| %s | %d | %d | %.0f | %.2f | %.2f | %.2f | %d |%n", what, millis.size() + errors, concurrency,
                    rate, p(50), p(99), p(100), errors);
        }
    }

    static Result run(HttpClient http, int n, int concurrency, RequestFactory factory) throws Exception {
        List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        Semaphore slots = new Semaphore(concurrency);
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                HttpRequest request = factory.make(i);
                slots.acquire();
                pool.submit(() -> {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 200) {
                            millis.add((System.nanoTime() - t0) / 1e6);
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(millis, errors.get(), millis.size() / seconds);
    }

    static HttpRequest health(String base) {
        return HttpRequest.newBuilder(URI.create(base + "/health")).GET().build();
    }

    static HttpRequest delivery(String base, String secret, String igAccount, String id) {
        long now = System.currentTimeMillis();
        byte[] body = ("{\"object\":\"instagram\",\"entry\":[{\"id\":\"" + igAccount + "\",\"time\":" + now
                + ",\"messaging\":[{\"sender\":{\"id\":\"9" + Math.abs(id.hashCode() % 1000) + "\"},\"recipient\":{\"id\":\""
                + igAccount + "\"},\"timestamp\":" + now + ",\"message\":{\"mid\":\"mid-" + id + "\",\"text\":\"hello " + id
                + "\"}}]}]}").getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(base + "/webhooks/meta"))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", "sha256=" + hmac(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long backlog(HttpClient http, String base) {
        try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("linegate_webhook_backlog"))
                    .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0L);
        } catch (Exception e) {
            return 0;
        }
    }
}
