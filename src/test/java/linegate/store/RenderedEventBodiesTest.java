package linegate.store;

import linegate.events.RenderedEventBodies;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The callbacks' bodies read together for a claim are, byte for byte, what rendering each alone gives (the feed's
 * JSON); a row that is no longer kept is left out, so only its attempt fails.
 */
class RenderedEventBodiesTest extends StoreTestBase {
    @Test
    void bodiesRenderedTogetherAreEachBodyRenderedAloneAndAMissingRowIsLeftOut() {
        stores.callbacks().setUrl(account, "https://crm.example.com/hook", "whsec_bodiesTestSecret0123456789abcdef");
        long line = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(),
                Optional.of("17841405793187218"), Optional.empty(), true, false));
        long t0 = StoreFixture.T0.toEpochMilli();
        for (int i = 0; i < 3; i++) {
            long cdlsId = stores.log().append(new NewLogEntry(account, line, LineClass.INSTAGRAM, "125447777777291" + i,
                    "text", "hello " + i, Optional.empty(), Optional.empty(), Optional.empty(), t0)).cdlsId();
            stores.log().finish(cdlsId, new LogOutcome.Sent("aWdf." + i, t0));
        }
        List<Long> ids = new ArrayList<>(stores.db().call(h -> h.createQuery("SELECT id FROM events ORDER BY id")
                .mapTo(Long.class).list()));
        assertThat(ids).hasSize(3);
        RenderedEventBodies bodies = new RenderedEventBodies(stores.outbox(), stores.log());
        ids.add(ids.getLast() + 1000);

        Map<Long, byte[]> together = bodies.renderAll(ids);

        assertThat(together).containsOnlyKeys(ids.subList(0, 3));
        for (long id : ids.subList(0, 3)) {
            assertThat(new String(together.get(id), StandardCharsets.UTF_8))
                    .isEqualTo(new String(bodies.render(id), StandardCharsets.UTF_8))
                    .contains("\"type\":\"message.status\"");
        }
    }
}
