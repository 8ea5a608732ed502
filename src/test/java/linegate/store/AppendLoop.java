package linegate.store;

import linegate.testing.TestDb;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A child process for {@link BatchingMessageLogWriterKillTest}: appends to the message log of the SQLite database named
 * by its argument from 32 virtual threads, through the batching writer, and prints each row's id on its own line only
 * after the append returned. It runs until it is killed.
 */
public final class AppendLoop {
    private AppendLoop() {
    }

    public static void main(String[] args) throws InterruptedException {
        Stores stores = Stores.open(args[0], "", "", Base64.getDecoder().decode(TestDb.MASTER_KEY), Clock.systemUTC());
        long account = stores.accounts().create("Acme Dental");
        long line = stores.lines().create(new NewLine(account, LineClass.INSTAGRAM, Optional.empty(), Optional.empty(),
                Optional.empty(), true, false));
        BatchingMessageLogWriter writer = new BatchingMessageLogWriter(stores.log(), 64, Duration.ZERO);
        PrintStream out = System.out;
        List<Thread> appenders = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            int thread = t;
            appenders.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; ; i++) {
                    long id = writer.append(new NewLogEntry(account, line, LineClass.INSTAGRAM, "1254477777772919", "text",
                            "message " + i + " of thread " + thread, Optional.of("t" + thread + "-" + i), Optional.empty(),
                            Optional.empty(), System.currentTimeMillis())).cdlsId();
                    synchronized (out) {
                        out.println(id);
                        out.flush();
                    }
                }
            }));
        }
        for (Thread t : appenders) {
            t.join(); // virtual threads are daemons: main must not return
        }
    }
}
