package linegate.meta;

/** Meta's Send API in Linegate's words. The only way the rest of Linegate reaches Meta. */
public interface GraphClient {
    /**
     * Sends one message with the page access token of its line. Never throws for anything Meta or the network does:
     * every result is an outcome.
     */
    SendOutcome send(String pageAccessToken, OutboundMessage message);
}
