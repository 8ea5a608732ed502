package linegate.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import linegate.api.Refusal;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * A request body's fields, by JSON type: a field of the wrong type is refused (422) with its name and the type it
 * takes, never with its value. A field this endpoint does not take is refused too, so that a misspelt one is not
 * silently ignored. {@code null} counts as absent, except where {@link #isNull} asks.
 */
final class JsonFields {
    private final ObjectNode object;

    JsonFields(ObjectNode object, List<String> allowed) {
        this.object = object;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            if (!allowed.contains(names.next())) {
                throw Refusal.invalid("unknown field in the body; this endpoint takes " + String.join(", ", allowed));
            }
        }
    }

    Optional<String> text(String name) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw wrongType(name, "a string");
        }
        return Optional.of(v.textValue());
    }

    Optional<Boolean> bool(String name) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw wrongType(name, "true or false");
        }
        return Optional.of(v.booleanValue());
    }

    /** A whole number within a long (1.0 and 1e3 are not). */
    Optional<Long> integer(String name) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(name, "a whole number");
        }
        return Optional.of(v.longValue());
    }

    /** A list of strings, each at most {@code maxLength} characters. */
    Optional<List<String>> texts(String name) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isArray()) {
            throw wrongType(name, "a list of strings");
        }
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw wrongType(name, "a list of strings");
            }
            out.add(item.textValue());
        }
        return Optional.of(out);
    }

    boolean has(String name) {
        return object.has(name);
    }

    /** Given, and given as JSON {@code null} (where null means something, e.g. "back to the default"). */
    boolean isNull(String name) {
        return object.has(name) && object.get(name).isNull();
    }

    private static Refusal wrongType(String name, String type) {
        return Refusal.invalid(name + " must be " + type);
    }
}
