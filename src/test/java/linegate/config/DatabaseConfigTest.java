package linegate.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the database is, and where its key file goes. */
class DatabaseConfigTest {
    static DatabaseConfig db(String url) {
        return new DatabaseConfig(url, "", new Secret(""));
    }

    @Test
    void embeddedFollowsTheUrl() {
        assertThat(db("jdbc:sqlite:./data/linegate.db").embedded()).isTrue();
        assertThat(db("jdbc:postgresql://db/linegate").embedded()).isFalse();
    }

    @Test
    void theSqliteFileIsThePathOfTheUrlWithoutItsQuery() {
        assertThat(db("jdbc:sqlite:./data/linegate.db").sqliteFile()).contains(Path.of("./data/linegate.db"));
        assertThat(db("jdbc:sqlite:/var/lib/linegate/lg.db?journal_mode=WAL").sqliteFile())
                .contains(Path.of("/var/lib/linegate/lg.db"));
        assertThat(db("jdbc:sqlite:file:/srv/lg.db?cache=shared").sqliteFile()).contains(Path.of("/srv/lg.db"));
    }

    @Test
    void inMemoryAndPostgresqlHaveNoFile() {
        assertThat(db("jdbc:sqlite::memory:").sqliteFile()).isEmpty();
        assertThat(db("jdbc:sqlite:").sqliteFile()).isEmpty();
        assertThat(db("jdbc:postgresql://db/linegate").sqliteFile()).isEmpty();
    }

    @Test
    void redactUrlHidesEveryPasswordParameter() {
        assertThat(DatabaseConfig.redactUrl("jdbc:postgresql://db/lg?user=a&password=p1&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/lg?user=a&password=[REDACTED]&ssl=true");
        assertThat(DatabaseConfig.redactUrl("jdbc:postgresql://db/lg?PASSWORD=p1")).isEqualTo("jdbc:postgresql://db/lg?PASSWORD=[REDACTED]");
        assertThat(DatabaseConfig.redactUrl("jdbc:sqlite:./data/linegate.db")).isEqualTo("jdbc:sqlite:./data/linegate.db");
    }

    @Test
    void toStringShowsTheUserButNeverThePassword() {
        DatabaseConfig c = new DatabaseConfig("jdbc:postgresql://db/lg?password=in-url", "linegate", new Secret("pw-value"));

        assertThat(c.toString()).contains("linegate").contains("jdbc:postgresql://db/lg")
                .doesNotContain("in-url").doesNotContain("pw-value");
    }
}
