package linegate.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void aUrlWithItsPasswordBeforeTheHostIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> db("postgres://bob:S3cretPw@db.example:5432/linegate"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("LINEGATE_DB_URL must be a JDBC URL, got 'postgres://[REDACTED]@db.example:5432/linegate':"
                        + " write jdbc:postgresql://host:5432/dbname, with the user and password in LINEGATE_DB_USER and"
                        + " LINEGATE_DB_PASSWORD");
        assertThatThrownBy(() -> db("jdbc:postgresql://bob:S3cretPw@db.example/linegate"))
                .hasMessage("LINEGATE_DB_URL must not hold a user or password before the host, got"
                        + " 'jdbc:postgresql://[REDACTED]@db.example/linegate': give them in LINEGATE_DB_USER and"
                        + " LINEGATE_DB_PASSWORD");
        assertThatThrownBy(() -> db("mysql://bob:S3cretPw@db/x?password=Other")).message()
                .doesNotContain("S3cretPw").doesNotContain("Other");
    }

    @Test
    void describeNamesTheFileOrTheHostAndDatabaseOnly() {
        assertThat(db("jdbc:postgresql://db.example:5433/linegate?user=u&password=p").describe())
                .isEqualTo("postgresql db.example:5433/linegate");
        assertThat(db("jdbc:sqlite:/srv/lg/linegate.db?journal_mode=WAL").describe()).isEqualTo("sqlite /srv/lg/linegate.db");
    }
}
