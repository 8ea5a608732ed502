package linegate.operators;

import java.util.List;
import java.util.Map;

/**
 * A line as created or changed, with warnings: what was accepted but will not work as the operator may expect (an
 * Instagram line without its Instagram account id, whose webhooks can never match it).
 */
public record LineOutcome(LineView line, List<String> warnings) {
    public LineOutcome {
        warnings = List.copyOf(warnings);
    }

    /** The admin API's answer: the line, and {@code warnings} (a list, empty when none). */
    public Map<String, Object> fields() {
        Map<String, Object> m = line.fields();
        m.put("warnings", warnings);
        return m;
    }
}
