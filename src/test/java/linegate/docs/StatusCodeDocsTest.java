package linegate.docs;

import linegate.api.StatusCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two status-code tables (docs/api.md for clients, docs/status-codes.md for maintainers) name every code the code
 * can answer, with its HTTP status and status text, so neither can drift from {@link StatusCode}.
 */
class StatusCodeDocsTest {
    private static List<String> rows(String doc) throws IOException {
        return Files.readAllLines(Path.of("docs", doc)).stream().filter(l -> l.startsWith("| ")).toList();
    }

    @ParameterizedTest
    @EnumSource(StatusCode.class)
    void apiReferenceListsEveryCodeWithItsHttpStatusAndText(StatusCode code) throws IOException {
        String prefix = "| " + code.code() + " | " + code.status();
        String http = " | " + code.httpStatus() + " |";
        assertThat(rows("api.md")).as("a row starting %s with HTTP %s in docs/api.md", prefix, code.httpStatus())
                .anyMatch(l -> l.startsWith(prefix) && l.contains(http));
    }

    @ParameterizedTest
    @EnumSource(StatusCode.class)
    void maintainersTableListsEveryCodeWithItsNameHttpStatusAndText(StatusCode code) throws IOException {
        String prefix = "| " + code.code() + " | `" + code.name() + "` | " + code.httpStatus() + " | " + code.status();
        assertThat(rows("status-codes.md")).as("a row starting %s in docs/status-codes.md", prefix)
                .anyMatch(l -> l.startsWith(prefix));
    }
}
