package linegate.store;

import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The accounts table on SQLite and PostgreSQL. */
@ParameterizedClass
@EnumSource(TestDb.class)
class AccountsTest {
    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    StoreFixture fx;
    Stores stores;

    @BeforeEach
    void open() {
        fx = new StoreFixture(db, tmp);
        stores = fx.open();
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void createReturnsANewIdEachTimeAndTheAccountExists() {
        long first = stores.accounts().create("Acme Dental");
        long second = stores.accounts().create("Acme Dental");

        assertThat(second).isGreaterThan(first);
        assertThat(stores.accounts().exists(first)).isTrue();
        assertThat(stores.accounts().exists(second)).isTrue();
    }

    @Test
    void anIdNeverCreatedDoesNotExist() {
        long id = stores.accounts().create("Acme");

        assertThat(stores.accounts().exists(id + 1)).isFalse();
        assertThat(stores.accounts().exists(0)).isFalse();
        assertThat(stores.accounts().exists(-1)).isFalse();
    }

    @Test
    void storesTheNameWithoutSurroundingSpaceAndTheClocksTime() {
        long id = stores.accounts().create("  Acme Dental \n");

        Map<String, Object> row = fx.one("SELECT name, created_at FROM accounts WHERE id = ?", id);
        assertThat(row.get("name")).isEqualTo("Acme Dental");
        assertThat(StoreFixture.asLong(row.get("created_at"))).isEqualTo(StoreFixture.T0.toEpochMilli());
    }

    @Test
    void refusesABlankName() {
        assertThatThrownBy(() -> stores.accounts().create("   "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name");
        assertThatThrownBy(() -> stores.accounts().create(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(fx.query("SELECT id FROM accounts")).isEmpty();
    }

    @Test
    void requireExistsNamesTheMissingAccountAndHowToCreateOne() {
        long id = stores.accounts().create("Acme");
        stores.accounts().requireExists(id);

        assertThatThrownBy(() -> stores.accounts().requireExists(id + 41))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("account " + (id + 41))
                .hasMessageContaining("linegate account create --name");
    }

    @Test
    void linesAndTokensRefuseAMissingAccountWithTheSameMessageAndWriteNothing() {
        long id = stores.accounts().create("Acme") + 41;
        String message = catchThrowable(() -> stores.accounts().requireExists(id)).getMessage();

        assertThatThrownBy(() -> stores.lines().create(new NewLine(id, LineClass.INSTAGRAM, Optional.empty(),
                Optional.empty(), Optional.empty(), true, false)))
                .isInstanceOf(NotFoundException.class).hasMessage(message);
        assertThatThrownBy(() -> stores.tokens().create(id, "crm"))
                .isInstanceOf(NotFoundException.class).hasMessage(message);
        assertThat(fx.query("SELECT id FROM lines")).isEmpty();
        assertThat(fx.query("SELECT id FROM api_tokens")).isEmpty();
    }
}
