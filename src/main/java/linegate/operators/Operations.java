package linegate.operators;

import linegate.events.CallbackAddresses;
import linegate.store.Stores;
import linegate.store.operators.AdminTokens;

import java.time.Clock;
import java.util.function.Supplier;

/** Every operation on one set of stores: what the command line and the admin API share. */
public final class Operations {
    private final AccountOperations accounts;
    private final TokenOperations tokens;
    private final AdminTokenOperations adminTokens;
    private final LineOperations lines;
    private final MessageOperations messages;
    private final EventOperations events;

    private Operations(Stores stores, Supplier<CallbackAddresses> addresses, Runnable pausesChanged,
                       UsageReadings usage, Clock clock) {
        this.accounts = new AccountOperations(stores, addresses, clock);
        this.tokens = new TokenOperations(stores);
        this.adminTokens = new AdminTokenOperations(new AdminTokens(stores.db(), clock));
        this.lines = new LineOperations(stores, pausesChanged, usage, clock);
        this.messages = new MessageOperations(stores);
        this.events = new EventOperations(stores, clock);
    }

    /** {@code addresses}: where callback URLs may point (LINEGATE_CALLBACK_ALLOW_PRIVATE), asked when one is set. */
    public static Operations over(Stores stores, Supplier<CallbackAddresses> addresses, Clock clock) {
        return new Operations(stores, addresses, () -> { }, UsageReadings.NONE, clock);
    }

    /**
     * For a serving node: {@code pausesChanged} runs after an operator's pause or resume is stored, so that this node
     * holds it from the answer on (every other node takes it at its next refresh, within about a second); {@code usage}
     * is this node's reading of Meta's usage headers, shown with each line.
     */
    public static Operations over(Stores stores, Supplier<CallbackAddresses> addresses, Runnable pausesChanged,
                                  UsageReadings usage, Clock clock) {
        return new Operations(stores, addresses, pausesChanged, usage, clock);
    }

    public AccountOperations accounts() {
        return accounts;
    }

    public TokenOperations tokens() {
        return tokens;
    }

    public AdminTokenOperations adminTokens() {
        return adminTokens;
    }

    public LineOperations lines() {
        return lines;
    }

    public MessageOperations messages() {
        return messages;
    }

    public EventOperations events() {
        return events;
    }
}
