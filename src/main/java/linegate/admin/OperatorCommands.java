package linegate.admin;

/** What the operator's subcommands need from the root command. */
public interface OperatorCommands {
    Operator operator();
}
