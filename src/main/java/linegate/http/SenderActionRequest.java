package linegate.http;

import linegate.api.ApiException;
import linegate.api.Params;
import linegate.api.StatusCode;

import java.util.List;
import java.util.Locale;

/** SenderAction's parameters, read from every source as a send's are, in the order 210/211, 220/221, 239. */
record SenderActionRequest(long lineId, String dest, String action) {
    static final List<String> ACTIONS = List.of("typing_on", "typing_off", "mark_seen");

    static SenderActionRequest read(Params p) {
        long lineId = SendRequestReader.lineId(p);
        String dest = SendRequestReader.dest(p);
        String action = p.text("action").map(a -> a.strip().toLowerCase(Locale.ROOT)).orElse("");
        if (!ACTIONS.contains(action)) {
            throw ApiException.of(StatusCode.INVALID_ACTION, "action must be one of " + ACTIONS);
        }
        return new SenderActionRequest(lineId, dest, action);
    }
}
