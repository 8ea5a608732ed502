import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
import java.util.function.IntFunction;

/**
 * Loads wrk cannot make, for the send endpoint:
 *   rate URL TSID APP_ID RATE SECONDS   open loop at a fixed rate (latency measured from the scheduled start, so a
 *                                       stall is not hidden): prints p50/p99 (answered requests) and errors by kind
 *   burst URL TSID APP_ID N             N sends at once, all in flight together: prints completed and errors
 *   spread URL RATE SECONDS PEERS TSID:APP_ID...
 *                                       the open loop over several accounts in turn, each send to the next of PEERS
 *                                       customers (so their events fall into PEERS conversations per account)
 */
public class Load {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        URI uri = URI.create(args[1] + "/api/v2/MakeInstagram.php");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        if (mode.equals("spread")) {
            int peers = Integer.parseInt(args[4]);
            List<String[]> accounts = Arrays.stream(args, 5, args.length).map(a -> a.split(":")).toList();
            rate(http, i -> {
                String[] account = accounts.get(i % accounts.size());
                return send(uri, account[0], account[1], "125447" + "%010d".formatted(i / accounts.size() % peers));
            }, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        HttpRequest request = send(uri, args[2], args[3], "1254477777772919");
        if (mode.equals("rate")) {
            rate(http, i -> request, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        } else {
            burst(http, request, Integer.parseInt(args[4]));
        }
    }

    static HttpRequest send(URI uri, String tsid, String appId, String dest) {
        String body = "{\"tsid\":\"" + tsid + "\",\"app_id\":" + appId + ",\"dest\":\"" + dest
                + "\",\"mtype\":\"text\",\"mdata\":\"Thanks for reaching out - how can we help?\"}";
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static void rate(HttpClient http, IntFunction<HttpRequest> requests, int rate, int seconds) throws Exception {
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
                HttpRequest request = requests.apply(i);
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
