package linegate.api;

import java.util.Map;
import java.util.Optional;

/**
 * Request parameters merged from the body and the query string, as the original PHP endpoint read them: a body value
 * wins over the query string, an empty string counts as missing, unknown names are ignored.
 * A value is either text (JSON scalars keep their exact source text, so a long numeric {@code dest} keeps every digit)
 * or {@link Value#structured() structured} (a JSON object or array where a scalar was expected).
 */
public final class Params {
    /** One parameter value: its text, or structured when the client sent an object or array. */
    public record Value(String text, boolean structured) {
        public static Value text(String text) {
            return new Value(text, false);
        }

        public static Value structuredValue() {
            return new Value(null, true);
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

    /** True when the parameter is present in any form other than missing or empty. */
    public boolean present(String name) {
        return structured(name) || text(name).isPresent();
    }

    @Override
    public String toString() {
        return "Params" + values.keySet(); // names only: values may hold tokens
    }
}
