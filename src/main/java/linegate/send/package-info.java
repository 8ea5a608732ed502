/**
 * The send pipeline shared by MakeInstagram and MakeMessenger: parameter checks in the documented order, line
 * resolution, the message-log row, the Graph call, and the mapping of Meta's answer to a status code; MessageStatus and
 * the client's view of a message ({@link linegate.send.MessageView}). Knows no HTTP.
 */
package linegate.send;
