/**
 * Typed, validated, immutable configuration read from the environment. A bad value stops start-up with one line that
 * says what is wrong and how to fix it; secrets print as [REDACTED]. Imports no other Linegate package.
 */
package linegate.config;
