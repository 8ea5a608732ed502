package linegate.channel;

import linegate.meta.GraphEndpoint;
import linegate.store.Line;
import linegate.store.LineClass;
import linegate.store.Lines;

import java.util.List;
import java.util.Optional;

/**
 * One channel: everything that differs between Instagram Direct, Messenger and the channels to come. The send pipeline,
 * the HTTP routes and the webhook applier ask the channel instead of branching on it.
 */
public interface Channel {
    /** The channel's name in the API, the logs and the metrics ({@code channel} tag); also its line class's value. */
    default String name() {
        return lineClass().dbValue();
    }

    /** The class of the lines this channel sends on (the {@code lines.class} column). */
    LineClass lineClass();

    /** What a send on this channel may carry, and how its refusals are worded. */
    SendRules sendRules();

    /** The HTTP paths of this channel's send endpoint (the original {@code .php} path first). */
    List<String> sendPaths();

    /** Where a send on this line goes: the Graph host and the node whose {@code /messages} edge takes it. */
    GraphEndpoint graphEndpoint(Line line);

    /** The {@code object} of Meta's webhook deliveries for this channel ({@code instagram}, {@code page}). */
    String webhookObject();

    /**
     * The one active line a webhook entry is for: an entry's {@code id} is the Instagram account id or the Page id,
     * whichever this channel's lines are known by. Empty when no active line holds it.
     */
    Optional<Line> lineForWebhookEntry(Lines lines, String entryId);
}
