package linegate.send;

import linegate.channel.Channel;
import linegate.channel.Channels;
import linegate.store.Line;
import linegate.store.Lookups;

import java.util.List;
import java.util.Optional;

/**
 * The detail of a 230, saying what the caller most likely got wrong (docs/api.md, 230), from the caller's own lines
 * only: another account's line answers exactly as a line that does not exist, so ids reveal nothing.
 * <ul>
 *   <li>the line is the caller's but of the other channel: which one, and the endpoint to send it to;</li>
 *   <li>the line is the caller's but inactive;</li>
 *   <li>{@code app_id} is the Instagram account id or the Page id of one of the caller's lines: app_id is the line's
 *       own id, and which line that is.</li>
 * </ul>
 */
final class LineNotFound {
    /** The registry of channels, for the other channel's endpoint; the same list the composition root serves. */
    private static final Channels CHANNELS = Channels.standard();

    private LineNotFound() {
    }

    /** Reads the database when the line is not the caller's (a 230 is rare; a failure there is a 503). */
    static String detail(Lookups lookups, long accountId, Channel channel, long lineId) {
        Optional<Line> own = lookups.lineForAccount(accountId, lineId);
        if (own.isPresent() && own.get().lineClass() != channel.lineClass()) {
            String other = own.get().lineClass().dbValue();
            return "line " + lineId + " is " + a(other) + " line, not " + a(channel.name()) + " line: send on it with "
                    + CHANNELS.byLineClass(own.get().lineClass()).map(c -> c.sendPaths().getFirst()).orElse(other);
        }
        if (own.isPresent()) {
            return "line " + lineId + " is inactive: the operator activates it with 'linegate line update " + lineId
                    + " --active true'";
        }
        String id = Long.toString(lineId);
        List<Line> lines = lookups.linesOfAccount(accountId);
        for (Line line : lines) {
            if (line.igAccountId().filter(id::equals).isPresent()) {
                return "no line " + lineId + " on this account: app_id is the line's id, not the Instagram account id;"
                        + " Instagram account " + id + " is line " + line.id() + " (see 'linegate line list')";
            }
            if (line.pageId().filter(id::equals).isPresent()) {
                return "no line " + lineId + " on this account: app_id is the line's id, not the Page id; Page " + id
                        + " is line " + line.id() + " (see 'linegate line list')";
            }
        }
        return "no active " + channel.name() + " line " + lineId + " on this account: app_id is the line's id, the one"
                + " 'linegate line create' printed (see 'linegate line list')";
    }

    private static String a(String name) {
        return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }
}
