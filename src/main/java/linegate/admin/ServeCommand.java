package linegate.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;

/**
 * {@code linegate serve}: runs the server until SIGTERM or SIGINT, then stops gracefully. The server itself is started
 * by the root (the composition root lives above {@code admin}); this command only names it.
 */
@Command(name = "serve", description = "Run the gateway until stopped (SIGTERM stops it gracefully).",
        mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    OperatorCommands root;

    private final ToIntFunction<Operator> server;

    public ServeCommand(ToIntFunction<Operator> server) {
        this.server = server;
    }

    @Override
    public Integer call() {
        return server.applyAsInt(root.operator());
    }
}
