/** Who is calling: API tokens ({@code tsid}) resolved to accounts. Knows no HTTP. */
package linegate.auth;
