import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what bench/CallbackReceiver.java received with the events Linegate wrote (its SQLite file, read while it
 * runs), for one or more accounts together. Waits up to DRAIN_SECONDS for every written event to arrive, then prints
 *   RESULT events=N lost=N unknown=N repeats=N bad_signatures=N written_per_s=X delivered_per_s=X p50=MS p99=MS
 *          max=MS last_arrival_after_to=MS retried=N a_last_error=TEXT
 * lost: written (to be posted: not 'none') and never received; unknown: received but not written; retried: events
 * posted more than once by Linegate's count (a failed attempt), with one last error; the rates count
 * events written and events first received between FROM and TO (epoch ms); latency is first arrival minus the
 * event's created_at (the time Linegate wrote it, in the change's transaction), for the events written in that window.
 * TO 0: the window runs from the first arrival to the last (a backlog's drain).
 * Usage: java -cp target/linegate.jar bench/EventsCheck.java DB_FILE RECEIVER_URL FROM TO DRAIN_SECONDS ACCOUNT:NAME...
 */
public class EventsCheck {
    record Written(String eventId, long createdAt, int attempts, String lastError) {
    }

    public static void main(String[] args) throws Exception {
        String db = args[0];
        String receiver = args[1];
        long from = Long.parseLong(args[2]);
        long to = Long.parseLong(args[3]);
        long drainUntil = System.currentTimeMillis() + Long.parseLong(args[4]) * 1000;
        HttpClient http = HttpClient.newHttpClient();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            List<Written> written = new ArrayList<>();
            Map<String, Long> arrivals = new HashMap<>();
            long repeats = 0;
            long bad = 0;
            while (true) {
                written.clear();
                arrivals.clear();
                repeats = 0;
                bad = 0;
                for (int i = 5; i < args.length; i++) {
                    String[] accountAndName = args[i].split(":");
                    written.addAll(written(c, Long.parseLong(accountAndName[0])));
                    String name = accountAndName[1];
                    String[] count = get(http, receiver + "/_count/" + name).trim().split(" ");
                    repeats += Long.parseLong(count[1]);
                    bad += Long.parseLong(count[2]);
                    get(http, receiver + "/_events/" + name).lines().map(l -> l.split(" "))
                            .forEach(f -> arrivals.put(f[0], Long.parseLong(f[1])));
                }
                boolean allArrived = written.stream().allMatch(w -> arrivals.containsKey(w.eventId()));
                if (allArrived || System.currentTimeMillis() > drainUntil) {
                    break;
                }
                Thread.sleep(500);
            }
            report(written, arrivals, repeats, bad, from, to);
        }
    }

    static List<Written> written(Connection c, long account) throws Exception {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT event_id, created_at, attempts, last_error FROM events WHERE account_id = ? AND delivery <> 'none'""")) {
            s.setLong(1, account);
            List<Written> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Written(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getString(4)));
                }
            }
            return out;
        }
    }

    static void report(List<Written> written, Map<String, Long> arrivals, long repeats, long bad, long windowFrom,
                       long windowTo) {
        long from = windowTo == 0 ? arrivals.values().stream().mapToLong(Long::longValue).min().orElse(0) : windowFrom;
        long to = windowTo == 0 ? arrivals.values().stream().mapToLong(Long::longValue).max().orElse(0) + 1 : windowTo;
        long lost = written.stream().filter(w -> !arrivals.containsKey(w.eventId())).count();
        long unknown = arrivals.size() - (written.size() - lost);
        double seconds = (to - from) / 1000.0;
        long writtenInWindow = written.stream().filter(w -> w.createdAt() >= from && w.createdAt() < to).count();
        long deliveredInWindow = arrivals.values().stream().filter(t -> t >= from && t < to).count();
        List<Long> latencies = new ArrayList<>();
        for (Written w : written) {
            Long at = arrivals.get(w.eventId());
            if (at != null && w.createdAt() >= from && w.createdAt() < to) {
                latencies.add(at - w.createdAt());
            }
        }
        Collections.sort(latencies);
        long retried = written.stream().filter(w -> w.attempts() > 1).count();
        String lastError = written.stream().filter(w -> w.lastError() != null).map(Written::lastError).findFirst()
                .orElse("none").replaceAll("\\s+", "_");
        long last = arrivals.values().stream().mapToLong(Long::longValue).max().orElse(to);
        System.out.printf("RESULT events=%d lost=%d unknown=%d repeats=%d bad_signatures=%d written_per_s=%.0f"
                        + " delivered_per_s=%.0f p50=%d p99=%d max=%d last_arrival_after_to=%d retried=%d a_last_error=%s%n",
                written.size(), lost, unknown, repeats, bad, writtenInWindow / seconds, deliveredInWindow / seconds,
                pct(latencies, 50), pct(latencies, 99), pct(latencies, 100), last - to, retried, lastError);
    }

    static long pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static String get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
