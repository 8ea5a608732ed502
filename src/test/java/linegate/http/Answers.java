package linegate.http;

import linegate.testing.Gateway;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on Linegate's {@code {"return":{...}}} answers shared by the HTTP contract tests. */
final class Answers {
    /** A Java stack frame, or a package-qualified class name such as com.fasterxml.jackson.databind.JsonNode. */
    private static final Pattern JAVA_INTERNALS = Pattern.compile(
            "\\tat |\\bat [a-z]+\\.[a-z]|\\b(java|javax|jakarta|com|org|io|linegate|sun|jdk)\\.[a-z]+\\.[A-Za-z]|[A-Za-z]+Exception\\b");

    private Answers() {
    }

    /** An error answer: its HTTP status, status text and status_code, as a JSON envelope with no Java internals. */
    static void assertRefused(Gateway.Response r, int httpStatus, int statusCode, String status) {
        assertThat(r.body()).as("a JSON envelope, got: %s", r.raw()).isNotNull();
        assertThat(r.statusCode()).as("status_code in %s", r.raw()).isEqualTo(statusCode);
        assertThat(r.ret().path("status").asText()).as("status in %s", r.raw()).isEqualTo(status);
        assertThat(r.status()).as("HTTP status of %s", r.raw()).isEqualTo(httpStatus);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertNoJavaInternals(r);
    }

    /** No stack trace and no Java class name in the body (Meta's own error type is checked apart, in meta_error). */
    static void assertNoJavaInternals(Gateway.Response r) {
        String raw = r.raw();
        if (r.body() != null && r.ret().has("meta_error")) {
            raw = raw.replace(r.ret().path("meta_error").path("type").asText("\u0000"), "");
        }
        assertThat(JAVA_INTERNALS.matcher(raw).find()).as("Java internals in %s", r.raw()).isFalse();
        assertThat(r.raw()).doesNotContain(Gateway.PAGE_TOKEN);
    }

    /** An error answer that was refused before a line was resolved: no log row, so no cdls_id. */
    static void assertRefusedWithoutRow(Gateway gw, int rowsBefore, Gateway.Response r, int httpStatus, int statusCode,
                                        String status) {
        assertRefused(r, httpStatus, statusCode, status);
        assertThat(r.ret().has("cdls_id")).as("no cdls_id in %s", r.raw()).isFalse();
        assertThat(gw.rows()).as("rows written").hasSize(rowsBefore);
    }
}
