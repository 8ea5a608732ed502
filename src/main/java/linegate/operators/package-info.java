/**
 * What operators may do, and the checks on what they give, for both ways in: the command line ({@code linegate.admin})
 * and the admin HTTP API ({@code linegate.http.admin}) call the same operations here, so both accept the same input
 * and refuse it with the same message ({@link linegate.api.Refusal}). Operations return views of their own (each
 * with its JSON fields), never the store's records; secrets they create are in their answer once and nowhere else.
 */
package linegate.operators;
