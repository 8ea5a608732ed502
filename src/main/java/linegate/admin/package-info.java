/**
 * The operator's commands (picocli): accounts, API tokens, lines, the message log. They open the same database as a
 * running server and print JSON on stdout; bad input gives a one-line message on stderr and a non-zero exit.
 */
package linegate.admin;
