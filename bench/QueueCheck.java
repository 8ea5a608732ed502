import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks bench/queue.sh's queued sends against Linegate's SQLite file (read while it runs) and bench/QueueStub.java.
 *   drain DB STUB MARK FROM_MS WAIT_S
 *       waits up to WAIT_S for every queued send whose mdata starts with MARK- to be final, then prints
 *       RESULT rows=N sent=N failed=N unknown=N stuck=N received=N distinct=N drained_per_s=X last_sent_after_ms=N
 *       rows: the queued rows (attempts not null); stuck: still queued or accepted; received/distinct: what the stub
 *       got with those texts (received - distinct were sent twice); drained_per_s: rows over FROM to the last sent_at
 *   lines STUB MARK FROM_MS
 *       per line (access token) from the stub's arrival times:
 *       RESULT lines=N arrivals=N peak_second=N peak_window=N peak_window_after_5s=N mean=X (each the worst line's)
 *       peak_second: most arrivals in one calendar second; peak_window: in any 1,000 ms; peak_window_after_5s: the
 *       same counting only arrivals more than 5 s after FROM (the buckets, full while Meta held the sends, spent);
 *       mean: the line's arrivals over its first to last arrival
 * Usage: java -cp target/linegate.jar bench/QueueCheck.java MODE ...
 */
public class QueueCheck {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("drain")) {
            drain(args[1], args[2], args[3], Long.parseLong(args[4]), Long.parseLong(args[5]));
        } else {
            lines(args[1], args[2], Long.parseLong(args[3]));
        }
    }

    static void drain(String db, String stub, String mark, long from, long waitSeconds) throws Exception {
        long until = System.currentTimeMillis() + waitSeconds * 1000;
        Map<String, Long> states = new HashMap<>();
        long lastSent = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            while (true) {
                states.clear();
                try (PreparedStatement s = c.prepareStatement("""
                        SELECT state, COUNT(*), MAX(sent_at) FROM message_log
                        WHERE attempts IS NOT NULL AND mdata LIKE ? GROUP BY state""")) {
                    s.setString(1, mark + "-%");
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            states.put(rs.getString(1), rs.getLong(2));
                            if (rs.getString(1).equals("sent")) {
                                lastSent = rs.getLong(3);
                            }
                        }
                    }
                }
                long stuck = states.getOrDefault("queued", 0L) + states.getOrDefault("accepted", 0L);
                if (stuck == 0 || System.currentTimeMillis() > until) {
                    break;
                }
                Thread.sleep(1000);
            }
        }
        long rows = states.values().stream().mapToLong(Long::longValue).sum();
        long sent = states.getOrDefault("sent", 0L);
        String[] count = get(stub + "/_count/" + mark + "-").trim().split(" ");
        System.out.printf("RESULT rows=%d sent=%d failed=%d unknown=%d stuck=%d received=%s distinct=%s"
                        + " drained_per_s=%.0f last_sent_after_ms=%d%n", rows, sent, states.getOrDefault("failed", 0L),
                states.getOrDefault("unknown", 0L), states.getOrDefault("queued", 0L) + states.getOrDefault("accepted", 0L),
                count[0], count[1], lastSent > from ? sent * 1000.0 / (lastSent - from) : 0.0, lastSent - from);
    }

    static void lines(String stub, String mark, long from) throws Exception {
        Map<String, List<Long>> byLine = new HashMap<>();
        long arrivals = 0;
        for (String l : get(stub + "/_arrivals/" + mark + "-").split("\n")) {
            if (!l.isBlank()) {
                String[] f = l.split(" ");
                byLine.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Long.parseLong(f[1]));
                arrivals++;
            }
        }
        long peakSecond = 0;
        long peakWindow = 0;
        long peakAfter = 0;
        double mean = 0;
        for (List<Long> times : byLine.values()) {
            times.sort(null);
            Map<Long, Long> seconds = new HashMap<>();
            for (long t : times) {
                seconds.merge(t / 1000, 1L, Long::sum);
            }
            peakSecond = Math.max(peakSecond, seconds.values().stream().mapToLong(Long::longValue).max().orElse(0));
            peakWindow = Math.max(peakWindow, window(times));
            peakAfter = Math.max(peakAfter, window(times.stream().filter(t -> t > from + 5000).toList()));
            if (times.size() > 1) {
                mean = Math.max(mean, (times.size() - 1) * 1000.0 / Math.max(1, times.getLast() - times.getFirst()));
            }
        }
        System.out.printf("RESULT lines=%d arrivals=%d peak_second=%d peak_window=%d peak_window_after_5s=%d mean=%.1f%n",
                byLine.size(), arrivals, peakSecond, peakWindow, peakAfter, mean);
    }

    /** The most arrivals within any 1,000 ms of sorted times. */
    static long window(List<Long> times) {
        long best = 0;
        int start = 0;
        for (int end = 0; end < times.size(); end++) {
            while (times.get(end) - times.get(start) >= 1000) {
                start++;
            }
            best = Math.max(best, end - start + 1);
        }
        return best;
    }

    static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
