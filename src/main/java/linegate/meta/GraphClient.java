package linegate.meta;

/** Meta's Send API in Linegate's words. The only way the rest of Linegate reaches Meta. */
public interface GraphClient {
    /**
     * Sends one message to the endpoint of its line, with the line's access token. Never throws for anything Meta or
     * the network does: every result is an outcome.
     */
    GraphOutcome send(GraphEndpoint endpoint, String accessToken, OutboundMessage message);
}
