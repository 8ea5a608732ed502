/**
 * The operator's commands (picocli): accounts, API tokens, lines, the message log. They open the same database as a
 * running server (the root opens it for them; admin reads no configuration) and print JSON on stdout, messages in the
 * shape clients see ({@link linegate.send.MessageView}); bad input gives a one-line message on stderr and a non-zero
 * exit.
 */
package linegate.admin;
