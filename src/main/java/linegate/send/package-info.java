/**
 * The send pipeline shared by MakeInstagram and MakeMessenger: parameter checks in the documented order, line
 * resolution, the message-log row, the Graph call, and the mapping of Meta's answer to a status code. Knows no HTTP.
 */
package linegate.send;
