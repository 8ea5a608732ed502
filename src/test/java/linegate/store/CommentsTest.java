package linegate.store;

import linegate.webhook.CommentRetention;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code comments} as Stores wires it, on both databases: a new comment is one comment.received event written in the
 * comment's transaction, the same comment again is none; its time is found by line and id; retention deletes what
 * arrived before its cut-off, and nothing else.
 */
class CommentsTest extends StoreTestBase {
    static final long T0 = StoreFixture.T0.toEpochMilli();
    static final String DETAIL = "{\"field\":\"comments\",\"value\":{\"id\":\"17865799348089039\"}}";

    long line;
    long otherLine;

    @BeforeEach
    void lines() {
        line = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(),
                Optional.of("17841405793187218"), Optional.empty(), true, false));
        otherLine = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(),
                Optional.of("17841405793187219"), Optional.empty(), true, false));
    }

    private ReceivedComment comment(long lineId, String id, long at) {
        return new ReceivedComment(account, lineId, LineClass.INSTAGRAM, id, "1254477777772919", at, DETAIL);
    }

    @Test
    void aNewCommentIsOneEventAndTheSameCommentAgainIsNone() {
        assertThat(stores.comments().record(comment(line, "17865799348089039", T0 - 60_000), T0)).isTrue();
        assertThat(stores.comments().record(comment(line, "17865799348089039", T0 - 60_000), T0 + 5)).isFalse();
        assertThat(stores.comments().record(comment(otherLine, "17865799348089039", T0), T0)).as("another line")
                .isTrue();

        List<Map<String, Object>> events = fx.query(
                "SELECT type, line_id, peer_id, channel, occurred_at, detail FROM events ORDER BY seq");
        assertThat(events).hasSize(2);
        assertThat(events.getFirst().get("type")).isEqualTo("comment.received");
        assertThat(StoreFixture.asLong(events.getFirst().get("line_id"))).isEqualTo(line);
        assertThat(events.getFirst().get("peer_id")).isEqualTo("1254477777772919");
        assertThat(events.getFirst().get("channel")).isEqualTo("instagram");
        assertThat(StoreFixture.asLong(events.getFirst().get("occurred_at"))).isEqualTo(T0 - 60_000);
        assertThat(events.getFirst().get("detail")).isEqualTo(DETAIL);
        assertThat(stores.outbox().after(account, 0, 10).getFirst().notice().detail()).contains(DETAIL);
    }

    @Test
    void aCommentsTimeIsFoundByItsLineAndId() {
        stores.comments().record(comment(line, "17865799348089040", T0 - 3_600_000), T0);

        assertThat(stores.comments().commentedAt(line, "17865799348089040")).contains(T0 - 3_600_000);
        assertThat(stores.comments().commentedAt(otherLine, "17865799348089040")).isEmpty();
        assertThat(stores.comments().commentedAt(line, "17865799348089041")).isEmpty();
    }

    @Test
    void retentionDeletesTheCommentsThatArrivedBeforeItsCutOff() {
        long kept = CommentRetention.KEPT.toMillis();
        stores.comments().record(comment(line, "1786001", T0 - kept - 10), T0 - kept - 1);
        stores.comments().record(comment(line, "1786002", T0 - kept), T0 - kept);
        fx.clock.set(StoreFixture.T0);

        assertThat(new CommentRetention(stores.comments(), fx.clock).prune()).isEqualTo(1);
        assertThat(stores.comments().commentedAt(line, "1786001")).isEmpty();
        assertThat(stores.comments().commentedAt(line, "1786002")).contains(T0 - kept);
        assertThat(Duration.ofMillis(kept)).isGreaterThan(Duration.ofDays(7));
    }
}
