package linegate.events;

import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code linegate_events_written_total{type}} (the events created) counts the events the outbox wrote, by type, on both databases. */
class EventsWrittenMetricTest extends GatewayPerDatabase {
    @Test
    void aSuccessfulSendCountsOneMessageStatusEvent() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        double statusBefore = created("message.status");
        double receivedBefore = created("message.received");

        Gateway.Response sent = gw.postJson("/api/v2/MakeInstagram.php",
                gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"count me\""));
        assertThat(sent.statusCode()).as(sent.raw()).isEqualTo(200);

        assertThat(created("message.status")).as("the send's move to sent").isEqualTo(statusBefore + 1);
        assertThat(created("message.received")).isEqualTo(receivedBefore);
    }

    private double created(String type) {
        String metrics = gw.get("/metrics").raw();
        Matcher m = Pattern.compile("(?m)^linegate_events_written_total\\{[^}]*type=\"" + Pattern.quote(type)
                + "\"[^}]*} ([0-9.eE+-]+)$").matcher(metrics);
        assertThat(m.find()).as("linegate_events_written_total{type=\"%s\"} in /metrics: %s", type,
                metrics.lines().filter(l -> l.contains("events_written")).toList()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
