-- What an outbound send carried besides its mtype and mdata (contract §11): quick replies, the mid it replies to, a
-- comment as its recipient (a private reply), agent=human; a JSON object, NULL for a send of the seed's parameters
-- alone. A queued send is sent from its row, so the row holds all of it.
ALTER TABLE message_log ADD COLUMN options TEXT;
