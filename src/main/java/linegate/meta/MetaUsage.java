package linegate.meta;

import org.eclipse.jetty.http.HttpFields;

import java.util.Optional;

/**
 * Meta's usage headers on one Graph answer, success or error, as Meta sent them: {@code X-App-Usage},
 * {@code X-Business-Use-Case-Usage} and {@code X-Page-Usage} (JSON; docs/meta-facts.md, "Rate limits and their
 * headers"). Kept raw here; pacing reads them. A value over {@link #MAX_LENGTH} characters is dropped, not kept.
 */
public record MetaUsage(Optional<String> appUsage, Optional<String> businessUseCaseUsage, Optional<String> pageUsage) {
    static final int MAX_LENGTH = 4096;
    public static final MetaUsage NONE = new MetaUsage(Optional.empty(), Optional.empty(), Optional.empty());

    static MetaUsage of(HttpFields headers) {
        return new MetaUsage(header(headers, "X-App-Usage"), header(headers, "X-Business-Use-Case-Usage"),
                header(headers, "X-Page-Usage"));
    }

    private static Optional<String> header(HttpFields headers, String name) {
        return Optional.ofNullable(headers.get(name)).filter(v -> v.length() <= MAX_LENGTH);
    }

    public boolean isEmpty() {
        return appUsage.isEmpty() && businessUseCaseUsage.isEmpty() && pageUsage.isEmpty();
    }
}
