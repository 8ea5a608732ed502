package linegate.admin;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;
import java.util.function.IntSupplier;

/**
 * {@code linegate serve}: runs the server until SIGTERM or SIGINT, then stops gracefully. The server itself is started
 * by the root (the composition root lives above {@code admin}); this command only names it.
 */
@Command(name = "serve", description = "Run the gateway until stopped (SIGTERM stops it gracefully).",
        mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {
    private final IntSupplier server;

    /** {@code server} runs the server and returns the exit code once it has stopped. */
    public ServeCommand(IntSupplier server) {
        this.server = server;
    }

    @Override
    public Integer call() {
        return server.getAsInt();
    }
}
