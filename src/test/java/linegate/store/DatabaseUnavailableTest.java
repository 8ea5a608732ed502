package linegate.store;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which database errors mean "retry later" (503, held outcomes, a webhook delivery tried again) rather than a bug.
 */
class DatabaseUnavailableTest {
    @Test
    void aDeadlockVictimIsRetriedNotABug() {
        // the outbox locks account rows: two nodes' batches may take two accounts in opposite orders
        assertThat(Database.isUnavailable(new RuntimeException(
                new SQLException("ERROR: deadlock detected", "40P01")))).isTrue();
    }

    @Test
    void aConstraintViolationIsABug() {
        assertThat(Database.isUnavailable(new SQLException("duplicate key value violates unique constraint", "23505")))
                .isFalse();
    }
}
