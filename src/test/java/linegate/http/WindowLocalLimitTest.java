package linegate.http;

import linegate.store.LineClass;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaDeliveries;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static linegate.http.Answers.assertRefused;
import static linegate.testing.MetaDeliveries.deliverAndAwaitWindow;
import static linegate.testing.MetaDeliveries.instagramMessage;
import static linegate.testing.MetaDeliveries.newPeer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 240 comes before 260 (docs/status-codes.md): with a budget of one send a second per line, a send refused for a closed
 * window does not spend the line's budget, and a line that spent its budget still answers 240 for a closed window.
 * Each test has a fresh line with its own Instagram account, so budgets and webhooks do not mix.
 */
class WindowLocalLimitTest extends GatewayPerDatabase {
    private static final String PATH = "/api/v2/MakeInstagram.php";
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final AtomicLong IG_ACCOUNTS = new AtomicLong(17_841_400_000_001_000L);

    long line;
    String igAccountId;
    /** Wrote 25 hours ago: the window is closed. */
    String closed;
    /** Wrote an hour ago: the window is open. */
    String open;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Gateway.env("LINEGATE_APP_SECRET", MetaDeliveries.APP_SECRET, "LINEGATE_LINE_SENDS_PER_SECOND", "1");
    }

    @BeforeEach
    void freshLineWithAClosedAndAnOpenConversation() {
        gw.meta().resetAll();
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        igAccountId = Long.toString(IG_ACCOUNTS.incrementAndGet());
        line = gw.stores().lines().create(new NewLine(gw.accountId, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.of(igAccountId), Optional.empty(), true, false));
        closed = newPeer();
        open = newPeer();
        long old = System.currentTimeMillis() - 25 * HOUR;
        long recent = System.currentTimeMillis() - HOUR;
        deliverAndAwaitWindow(gw, instagramMessage(igAccountId, closed, old), line, closed, old);
        deliverAndAwaitWindow(gw, instagramMessage(igAccountId, open, recent), line, open, recent);
    }

    @Test
    void aSendRefusedForAClosedWindowDoesNotSpendTheLinesBudget() {
        Gateway.Response refused = send(closed);
        Gateway.Response sent = send(open);
        Gateway.Response overBudget = send(open);

        assertRefused(refused, 422, 240, "Outside messaging window");
        assertThat(sent.status()).as("the line's one send this second is still there: %s", sent.raw()).isEqualTo(200);
        assertRefused(overBudget, 429, 260, "Rate limited");
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
    }

    @Test
    void aLineThatSpentItsBudgetStillAnswers240ForAClosedWindow() {
        Gateway.Response sent = send(open);
        Gateway.Response refused = send(closed);

        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        assertRefused(refused, 422, 240, "Outside messaging window");
        assertThat(refused.ret().has("retry_after")).isFalse();
        assertThat(refused.headers().firstValue("Retry-After")).isEmpty();
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
    }

    private Gateway.Response send(String peer) {
        return gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + line + ",\"dest\":\"" + peer
                + "\",\"mdata\":\"hi\"}");
    }
}
