-- Comments on a line's posts and reels (docs/api.md, "Events": comment.received; "Private replies").

-- One row per comment Meta reported, so that a redelivery writes no second event, and so that a private reply to a
-- comment older than Meta's 7 days is refused (240) before Meta is called. commented_at is when it was written
-- (epoch ms, Meta's time); received_at when Linegate stored it (retention prunes by it).
CREATE TABLE comments (
    line_id      BIGINT  NOT NULL REFERENCES lines (id),
    comment_id   TEXT    NOT NULL,
    author_id    TEXT    NOT NULL,
    commented_at BIGINT  NOT NULL,
    received_at  BIGINT  NOT NULL,
    PRIMARY KEY (line_id, comment_id)
);
CREATE INDEX comments_received ON comments (received_at);

-- What a comment.received event reports: Meta's change object as it came (CommentDetails reads it when the event is
-- rendered), as message.received events read their message_log row's event_json.
ALTER TABLE events ADD COLUMN detail TEXT;
