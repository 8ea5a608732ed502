package linegate.api;

import java.util.Map;
import java.util.Optional;

/**
 * Request parameters merged from the body and the query string, as the original PHP endpoint read them: a body value
 * wins over the query string, an empty string counts as missing, unknown names are ignored.
 * A value is either text (JSON scalars keep their exact source text, so a long numeric {@code dest} keeps every digit)
 * or {@link Value#structured() structured} (a JSON object or array), which keeps its JSON text for the parameters whose
 * value is JSON ({@link #json}).
 */
public final class Params {
    /**
     * One parameter value: its text, or structured when the client sent an object or array; {@code json} is then that
     * object or array as compact JSON text (null when it was not kept).
     */
    public record Value(String text, boolean structured, String json) {
        public static Value text(String text) {
            return new Value(text, false, null);
        }

        public static Value structuredValue() {
            return new Value(null, true, null);
        }

        public static Value structuredValue(String json) {
            return new Value(null, true, json);
        }
    }

    private final Map<String, Value> values;

    public Params(Map<String, Value> values) {
        this.values = Map.copyOf(values);
    }

    /** The text of a parameter; empty when missing, empty-string, or structured. */
    public Optional<String> text(String name) {
        Value v = values.get(name);
        if (v == null || v.structured() || v.text() == null || v.text().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(v.text());
    }

    /** True when the parameter was given as a JSON object or array. */
    public boolean structured(String name) {
        Value v = values.get(name);
        return v != null && v.structured();
    }

    /**
     * A JSON-valued parameter's JSON text (contract §11): a JSON object or array in a JSON body, or the text itself,
     * which in form bodies and query strings is a JSON string holding the value. Empty when missing or empty.
     */
    public Optional<String> json(String name) {
        Value v = values.get(name);
        if (v != null && v.structured()) {
            return Optional.ofNullable(v.json());
        }
        return text(name);
    }

    /** True when the parameter is present in any form other than missing or empty. */
    public boolean present(String name) {
        return structured(name) || text(name).isPresent();
    }

    @Override
    public String toString() {
        return "Params" + values.keySet(); // names only: values may hold tokens
    }
}
