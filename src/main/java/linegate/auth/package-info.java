/**
 * Who is calling: API tokens ({@code tsid}) resolved to accounts, and admin tokens ({@code lga_…}) and console
 * sessions resolved to the operators of {@code /admin/v1}. Knows no HTTP.
 */
package linegate.auth;
