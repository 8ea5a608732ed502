package linegate.send;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A conversation's messaging windows as data (docs/api.md, "The window as data"): when the customer last wrote, when
 * the standard 24-hour window closes, and, on a line enabled for the HUMAN_AGENT tag, when its 7 days end (null on
 * other lines: no human-agent send is possible there). Times in the past mean the window has closed.
 */
public record ConversationWindow(Instant lastInboundAt, Instant expiresAt, Optional<Instant> humanAgentUntil) {
    public ConversationWindow {
        Objects.requireNonNull(lastInboundAt);
        Objects.requireNonNull(expiresAt);
        Objects.requireNonNull(humanAgentUntil);
    }

    public static ConversationWindow of(long lastInboundMillis, boolean humanAgentLine) {
        Instant last = Instant.ofEpochMilli(lastInboundMillis);
        return new ConversationWindow(last, last.plus(SendChecks.STANDARD_WINDOW),
                humanAgentLine ? Optional.of(last.plus(SendChecks.HUMAN_AGENT_WINDOW)) : Optional.empty());
    }

    /** The {@code window} object, fields in documented order, ISO-8601 UTC. */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("last_inbound_at", lastInboundAt.toString());
        m.put("expires_at", expiresAt.toString());
        m.put("human_agent_until", humanAgentUntil.map(Instant::toString).orElse(null));
        return m;
    }
}
