import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two loads wrk cannot make, for the send endpoint:
 *   rate URL TSID APP_ID RATE SECONDS   open loop at a fixed rate (latency measured from the scheduled start, so a
 *                                       stall is not hidden): prints p50/p99 (answered requests) and errors by kind
 *   burst URL TSID APP_ID N             N sends at once, all in flight together: prints completed and errors
 */
public class Load {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        URI uri = URI.create(args[1] + "/api/v2/MakeInstagram.php");
        String body = "{\"tsid\":\"" + args[2] + "\",\"app_id\":" + args[3]
                + ",\"dest\":\"1254477777772919\",\"mtype\":\"text\",\"mdata\":\"Thanks for reaching out - how can we help?\"}";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        if (mode.equals("rate")) {
            rate(http, request, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        } else {
            burst(http, request, Integer.parseInt(args[4]));
        }
    }

    static void rate(HttpClient http, HttpRequest request, int rate, int seconds) throws Exception {
        int n = rate * seconds;
        List<Double> millis = Collections.synchronizedList(new ArrayList<>(n));
        AtomicInteger errors = new AtomicInteger();
        Map<String, Integer> why = new ConcurrentSkipListMap<>();
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                long scheduled = start + i * interval;
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                pool.submit(() -> {
                    try {
                        HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                            why.merge("http " + r.statusCode(), 1, Integer::sum);
                        }
                        millis.add((System.nanoTime() - scheduled) / 1e6);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        why.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    }
                });
            }
        }
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf("RESULT rate=%d p50=%.2f p99=%.2f requests=%d errors=%d%s%n", rate, pct(sorted, 50),
                pct(sorted, 99), n, errors.get(), why.isEmpty() ? "" : " " + why);
    }

    static void burst(HttpClient http, HttpRequest request, int n) throws Exception {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        Map<String, Integer> why = new ConcurrentSkipListMap<>();
        CountDownLatch go = new CountDownLatch(1);
        long start;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                pool.submit(() -> {
                    try {
                        go.await();
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                            why.merge("http " + r.statusCode() + " code " + statusCode(r.body()), 1, Integer::sum);
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        why.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
                    }
                });
            }
            start = System.nanoTime();
            go.countDown();
        }
        System.out.printf("RESULT inflight=%d completed=%d errors=%d%s seconds=%.1f%n", n, ok.get(), errors.get(),
                why.isEmpty() ? "" : " " + why, (System.nanoTime() - start) / 1e9);
    }

    /** The envelope's numeric status code, for the error breakdown. */
    static String statusCode(String body) {
        Matcher m = Pattern.compile("\"status_code\"\\s*:\\s*(\\d+)").matcher(body);
        return m.find() ? m.group(1) : "?";
    }

    static double pct(List<Double> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
