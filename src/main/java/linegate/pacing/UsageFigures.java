package linegate.pacing;

import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.IntStream;

/**
 * Meta's usage figures on one Graph answer: for each header the highest of its percentages ({@code call_count},
 * {@code total_cputime}, {@code total_time}; over every business object for {@code X-Business-Use-Case-Usage}), and
 * the longest {@code estimated_time_to_regain_access} (minutes) any of them gave. Empty where the header was absent or
 * could not be read: Meta sends them only once enough calls were made.
 */
public record UsageFigures(OptionalInt app, OptionalInt business, OptionalInt page, OptionalLong regainMinutes) {
    public static final UsageFigures NONE = new UsageFigures(OptionalInt.empty(), OptionalInt.empty(),
            OptionalInt.empty(), OptionalLong.empty());

    public UsageFigures {
        for (OptionalInt figure : new OptionalInt[]{app, business, page}) {
            if (figure.isPresent() && figure.getAsInt() < 0) {
                throw new IllegalArgumentException("a usage percentage is never negative, got " + figure.getAsInt());
            }
        }
        if (regainMinutes.isPresent() && regainMinutes.getAsLong() < 0) {
            throw new IllegalArgumentException("minutes to regain access are never negative");
        }
    }

    public boolean isEmpty() {
        return app.isEmpty() && business.isEmpty() && page.isEmpty();
    }

    /** The highest figure of the line's own headers (business use case and page), not the app's. */
    public OptionalInt lineHighest() {
        return IntStream.concat(business.stream(), page.stream()).max();
    }
}
