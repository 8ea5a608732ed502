package linegate;

import linegate.admin.AccountCommand;
import linegate.admin.AdminTokenCommand;
import linegate.admin.EventsCommand;
import linegate.admin.LineCommand;
import linegate.admin.LogCommand;
import linegate.admin.Operator;
import linegate.admin.OperatorCommands;
import linegate.admin.QueueCommand;
import linegate.admin.ServeCommand;
import linegate.admin.TokenCommand;
import linegate.api.Refusal;
import linegate.config.ConfigException;
import linegate.events.CallbackAddresses;
import linegate.config.LinegateConfig;
import linegate.store.NotFoundException;
import linegate.store.StoreUnavailableException;
import linegate.store.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The command line: {@code linegate serve | account | token | line | log | events | queue | admin-token}. */
@Command(name = "linegate", mixinStandardHelpOptions = true, version = "Linegate 0.1.0",
        description = "Messaging gateway for Instagram Direct and Messenger.",
        subcommands = {AccountCommand.class, TokenCommand.class, LineCommand.class, LogCommand.class,
                EventsCommand.class, QueueCommand.class, AdminTokenCommand.class, HelpCommand.class})
public final class Main implements OperatorCommands {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    private final Operator operator;

    private Main(Operator operator) {
        this.operator = operator;
    }

    @Override
    public Operator operator() {
        return operator;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command; returns its exit code (0 ok, 1 failed, 2 bad usage). */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Clock clock = Clock.systemUTC();
        try (Operator operator = new Operator(() -> openStores(LinegateConfig.fromEnvironment(env), clock),
                () -> new CallbackAddresses(LinegateConfig.fromEnvironment(env).callbacks().allowPrivate()), out, err,
                clock)) {
            CommandLine cli = new CommandLine(new Main(operator));
            cli.addSubcommand("serve", new ServeCommand(() -> serve(LinegateConfig.fromEnvironment(env), clock)));
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            cli.setParameterExceptionHandler((e, given) -> {
                CommandLine cmd = e.getCommandLine();
                String hint = e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()
                        ? " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)" : "";
                err.println("linegate: " + e.getMessage() + hint + ": see '" + cmd.getCommandSpec().qualifiedName()
                        + " --help'");
                return cmd.getCommandSpec().exitCodeOnInvalidInput();
            });
            cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
                if (e instanceof Refusal || e instanceof ConfigException || e instanceof NotFoundException
                        || e instanceof IllegalArgumentException
                        || e instanceof StoreUnavailableException) {
                    err.println("linegate: " + e.getMessage());
                    return 1;
                }
                throw e;
            });
            return cli.execute(args);
        }
    }

    /** The operator's commands work on the same database as a running server, opened from the same variables. */
    private static Stores openStores(LinegateConfig config, Clock clock) {
        var db = config.database();
        return Stores.open(db.url(), db.user(), db.password().value(), config.masterKey().get().bytes(), clock);
    }

    /**
     * The launcher ({@code ./linegate}) sets the heap limit and collector (docs/operations.md, "Memory"); a jar's
     * manifest cannot carry JVM options, so {@code java -jar} without a limit lets the JVM take a quarter of the
     * machine's memory, and a node's resident memory follows that limit, not its load. Said once, once started.
     */
    static void adviseOnHeapLimit(List<String> jvmFlags) {
        boolean limited = jvmFlags.stream().anyMatch(f -> f.startsWith("-Xmx") || f.startsWith("-XX:MaxHeapSize=")
                || f.startsWith("-XX:MaxRAMPercentage=") || f.startsWith("-XX:MaxRAM="));
        if (!limited) {
            LOG.warn("no heap limit given: the JVM may grow the heap to {} MB and the node's memory with it; start with"
                    + " ./linegate, which sets one, or give java the launcher's flags (docs/operations.md, Memory)",
                    Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    /** Starts the server and blocks until the JVM is asked to stop; the shutdown hook stops it gracefully. */
    private static int serve(LinegateConfig config, Clock clock) {
        Linegate linegate = Linegate.start(config, clock);
        // once serving: a start that fails says one line, its reason
        adviseOnHeapLimit(ManagementFactory.getRuntimeMXBean().getInputArguments());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping: finishing requests in flight");
            linegate.close();
            LOG.info("stopped");
            stopped.countDown();
        }, "linegate-shutdown"));
        try {
            stopped.await(); // Javalin runs on daemon threads: returning would end the JVM
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
