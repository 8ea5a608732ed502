package linegate.http;

/**
 * The port to listen on is taken by another process. Its message is one line; the composition root tells the operator
 * which setting chose the port.
 */
public final class PortInUseException extends RuntimeException {
    private final int port;

    PortInUseException(int port) {
        super("port " + port + " is already in use by another process", null, false, false);
        this.port = port;
    }

    public int port() {
        return port;
    }
}
