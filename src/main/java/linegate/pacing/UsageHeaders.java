package linegate.pacing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.meta.MetaUsage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads Meta's usage headers (docs/meta-facts.md, "Rate-limit headers"): {@code X-App-Usage} and {@code X-Page-Usage}
 * are objects of percentages, {@code X-Business-Use-Case-Usage} maps each business object's id to an array of such
 * objects with {@code estimated_time_to_regain_access}. A header that is not of that shape is reported by name and
 * contributes nothing; it is never an error. Each value is at most {@code MetaUsage}'s 4,096 characters, and the parser
 * refuses nesting deeper than the shape needs and long numbers, so a hostile value is cheap to refuse.
 */
public final class UsageHeaders {
    static final String APP = "X-App-Usage";
    static final String BUSINESS = "X-Business-Use-Case-Usage";
    static final String PAGE = "X-Page-Usage";
    private static final List<String> PERCENTAGES = List.of("call_count", "total_cputime", "total_time");
    private static final String REGAIN = "estimated_time_to_regain_access";
    /** Percentages above this are not Meta's (its figures are whole numbers up to about 100). */
    private static final int MAX_PERCENT = 10_000;
    /** Minutes to regain access above a week are not Meta's. */
    private static final long MAX_REGAIN_MINUTES = 7 * 24 * 60;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4).maxNumberLength(12)
                    .maxStringLength(4096).build())
            .build());

    /** The figures, and the names of the headers present that could not be read. */
    public record Reading(UsageFigures figures, List<String> malformed) {
        public Reading {
            malformed = List.copyOf(malformed);
        }
    }

    private UsageHeaders() {
    }

    public static Reading read(MetaUsage usage) {
        List<String> malformed = new ArrayList<>();
        long[] regain = {-1};
        OptionalInt app = flat(usage.appUsage(), APP, malformed, regain);
        OptionalInt page = flat(usage.pageUsage(), PAGE, malformed, regain);
        OptionalInt business = usage.businessUseCaseUsage().flatMap(v -> parse(v)).map(node -> {
            if (!node.isObject()) {
                return OptionalInt.empty();
            }
            int highest = -1;
            for (Map.Entry<String, JsonNode> object : node.properties()) {
                if (!object.getValue().isArray()) {
                    return OptionalInt.empty();
                }
                for (JsonNode limit : object.getValue()) {
                    OptionalInt figure = percentages(limit, regain);
                    if (figure.isEmpty()) {
                        return OptionalInt.empty();
                    }
                    highest = Math.max(highest, figure.getAsInt());
                }
            }
            return highest < 0 ? OptionalInt.empty() : OptionalInt.of(highest);
        }).orElse(OptionalInt.empty());
        if (usage.businessUseCaseUsage().isPresent() && business.isEmpty()) {
            malformed.add(BUSINESS);
        }
        return new Reading(new UsageFigures(app, business, page,
                regain[0] < 0 ? OptionalLong.empty() : OptionalLong.of(regain[0])), malformed);
    }

    /** {@code X-App-Usage} or {@code X-Page-Usage}: one object of percentages. */
    private static OptionalInt flat(Optional<String> value, String name, List<String> malformed, long[] regain) {
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        OptionalInt figure = parse(value.get()).map(node -> percentages(node, regain)).orElse(OptionalInt.empty());
        if (figure.isEmpty()) {
            malformed.add(name);
        }
        return figure;
    }

    /** The highest of the object's percentages (at least one must be there), and its regain estimate into {@code regain}. */
    private static OptionalInt percentages(JsonNode node, long[] regain) {
        if (!node.isObject()) {
            return OptionalInt.empty();
        }
        int highest = -1;
        for (String field : PERCENTAGES) {
            JsonNode figure = node.get(field);
            if (figure == null) {
                continue;
            }
            if (!figure.isNumber() || figure.asDouble() < 0 || figure.asDouble() > MAX_PERCENT) {
                return OptionalInt.empty();
            }
            highest = Math.max(highest, (int) Math.ceil(figure.asDouble()));
        }
        JsonNode minutes = node.get(REGAIN);
        if (minutes != null) {
            if (!minutes.isNumber() || minutes.asDouble() < 0 || minutes.asDouble() > MAX_REGAIN_MINUTES) {
                return OptionalInt.empty();
            }
            regain[0] = Math.max(regain[0], (long) Math.ceil(minutes.asDouble()));
        }
        return highest < 0 ? OptionalInt.empty() : OptionalInt.of(highest);
    }

    private static Optional<JsonNode> parse(String value) {
        try {
            return Optional.ofNullable(JSON.readTree(value));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
