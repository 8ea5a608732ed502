package linegate.http;

import linegate.testing.Gateway;
import linegate.testing.TestDb;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a fresh node's /metrics says before any traffic (docs/operations.md, "Metrics"), on both databases: every
 * metric has a HELP text, webhook and Graph metrics are there at 0, the pool reports itself, and HTTP latency has
 * buckets.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class MetricsScrapeTest {
    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    private String scrape() {
        try (Gateway gw = Gateway.start(db, tmp)) {
            gw.get("/health"); // one request, so that the HTTP timer has a series
            return gw.get("/metrics").raw();
        }
    }

    @Test
    void everyMetricHasAHelpText() {
        String text = scrape();
        List<String> withoutHelp = new ArrayList<>();
        Matcher type = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(text);
        while (type.find()) {
            String name = type.group(1);
            if (!Pattern.compile("(?m)^# HELP " + Pattern.quote(name) + " \\S").matcher(text).find()) {
                withoutHelp.add(name);
            }
        }

        assertThat(type.reset().find()).isTrue();
        assertThat(withoutHelp).as("metrics whose # HELP is missing or empty").isEmpty();
    }

    @Test
    void webhookAndGraphMetricsAreThereAtZeroBeforeTheFirstUse() {
        String text = scrape();

        assertThat(text).containsPattern("(?m)^linegate_webhook_deliveries_total\\{result=\"accepted\"} 0\\.0$")
                .containsPattern("(?m)^linegate_webhook_deliveries_total\\{result=\"refused\"} 0\\.0$")
                .containsPattern("(?m)^linegate_webhook_events_total\\{kind=\"inbound\",object=\"instagram\",result=\"applied\"} 0\\.0$")
                .containsPattern("(?m)^linegate_webhook_events_total\\{kind=\"delivery\",object=\"page\",result=\"no_line\"} 0\\.0$")
                .containsPattern("(?m)^linegate_graph_send_seconds_count\\{outcome=\"sent\"} 0$")
                .containsPattern("(?m)^linegate_graph_send_seconds_count\\{outcome=\"unreachable\"} 0$")
                .containsPattern("(?m)^linegate_graph_send_seconds_bucket\\{outcome=\"rejected\",le=\"\\+Inf\"} 0$")
                .containsPattern("(?m)^linegate_graph_not_sent_total 0\\.0$");
    }

    @Test
    void thePoolReportsItselfAndHttpLatencyHasBucketsPerRouteTemplate() {
        String text = scrape();

        assertThat(text).containsPattern("(?m)^hikaricp_connections_active\\{pool=\"linegate-db\"} ")
                .containsPattern("(?m)^hikaricp_connections_pending\\{pool=\"linegate-db\"} ")
                .containsPattern("(?m)^hikaricp_connections_max\\{pool=\"linegate-db\"} ")
                .containsPattern("(?m)^hikaricp_connections_acquire_seconds_count\\{pool=\"linegate-db\"} ");
        // p99 = histogram_quantile(0.99, rate(http_server_requests_seconds_bucket[5m])): buckets from 1 ms to 60 s
        assertThat(text).containsPattern(
                        "(?m)^http_server_requests_seconds_bucket\\{method=\"GET\",status=\"200\",uri=\"/health\",le=\"0\\.001\"} ")
                .containsPattern("(?m)^http_server_requests_seconds_bucket\\{method=\"GET\",status=\"200\",uri=\"/health\",le=\"\\+Inf\"} 1$");
        Matcher buckets = Pattern.compile("(?m)^http_server_requests_seconds_bucket\\{method=\"GET\",status=\"200\",uri=\"/health\",le=\"([^\"]+)\"}")
                .matcher(text);
        List<String> bounds = new ArrayList<>();
        while (buckets.find()) {
            bounds.add(buckets.group(1));
        }
        assertThat(bounds).hasSizeBetween(10, 80).contains("+Inf");
    }
}
