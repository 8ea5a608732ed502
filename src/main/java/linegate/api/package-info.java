/**
 * The vocabulary of Linegate's client API shared by the HTTP layer and the services: status codes, the exception that
 * carries a documented error, and request parameters. Imports no other Linegate package.
 */
package linegate.api;
