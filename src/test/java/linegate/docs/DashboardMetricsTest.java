package linegate.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard (docs/grafana/linegate-dashboard.json) and the alert rules (docs/prometheus/alerts.yml) name
 * only metrics that a Linegate node exports, so neither can drift from the code. The scrape is of a node that has
 * sent once and applied a webhook delivery (some series appear with their first line).
 */
class DashboardMetricsTest {
    /**
     * Metrics the dashboard and alerts use that other branches add, or that are not Linegate's. The lead removes an
     * entry once the branch that adds it is merged (the test then checks it like the others).
     */
    private static final Set<String> ADDED_ELSEWHERE = Set.of();
    private static final Pattern METRIC = Pattern.compile("\\b((?:linegate|http_server|hikaricp|jvm|process)_[a-z0-9_]+)");

    @TempDir
    Path tmp;

    @Test
    void everyMetricTheDashboardAndTheAlertsNameIsExported() throws IOException {
        Set<String> named = new TreeSet<>();
        for (String expr : dashboardExprs()) {
            named.addAll(metrics(expr));
        }
        List<String> alertExprs = Files.readAllLines(Path.of("docs/prometheus/alerts.yml")).stream()
                .map(String::strip).filter(l -> l.startsWith("expr:")).toList();
        assertThat(alertExprs).hasSizeGreaterThan(10);
        alertExprs.forEach(e -> named.addAll(metrics(e)));

        Set<String> exported = exported();
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(exported);
        missing.removeAll(ADDED_ELSEWHERE);

        assertThat(named).contains("linegate_sends_total", "linegate_graph_send_seconds_bucket",
                "linegate_webhook_backlog", "linegate_events_dead_total", "linegate_line_paused", "linegate_lines");
        assertThat(missing).as("metrics named in docs/grafana or docs/prometheus that no scrape shows").isEmpty();
    }

    private static List<String> dashboardExprs() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("docs/grafana/linegate-dashboard.json").toFile());
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.path("expr").asText());
            }
        }
        assertThat(exprs).hasSizeGreaterThan(10).doesNotContain("");
        return exprs;
    }

    private static Set<String> metrics(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The series names of a node's scrape after one send and one webhook delivery. */
    private Set<String> exported() {
        try (Gateway gw = Gateway.start(TestDb.SQLITE, tmp, Webhooks.env())) {
            // with a usage header, as Meta sends once a line is busy: the line's usage and pause gauges appear
            gw.meta().stubFor(post(urlPathEqualTo(Gateway.GRAPH_PATH)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("X-App-Usage", "{\"call_count\":12,\"total_cputime\":3,\"total_time\":5}")
                    .withBody(MetaSamples.read("ig-send-success.doc.json"))));
            assertThat(gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\""))
                    .statusCode()).isEqualTo(200);
            new Webhooks(gw).deliver(Webhooks.instagram(Gateway.IG_ACCOUNT_ID, System.currentTimeMillis(),
                    Webhooks.igMessage(Gateway.IG_ACCOUNT_ID, "1254477777772919", Webhooks.newIgMid(),
                            System.currentTimeMillis())));
            Set<String> names = new TreeSet<>();
            gw.get("/metrics").raw().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
            return names;
        }
    }
}
