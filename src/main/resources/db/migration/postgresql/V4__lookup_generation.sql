-- A counter that moves whenever a token or a line changes, by any means (Linegate, an operator command in another
-- process, or SQL typed by hand). Every serving node polls it and drops its cached token and line look-ups when it
-- moves, so a revoked token or an updated line takes effect on every node within the poll interval.
-- Inserts need no bump: nodes cache only what exists, and a new row cannot make a cached one wrong.
CREATE TABLE lookup_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT  NOT NULL
);
INSERT INTO lookup_generation (id, generation) VALUES (1, 0);

CREATE FUNCTION bump_lookup_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lookup_generation SET generation = generation + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER api_tokens_changed AFTER UPDATE OR DELETE OR TRUNCATE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION bump_lookup_generation();

CREATE TRIGGER lines_changed AFTER UPDATE OR DELETE OR TRUNCATE ON lines
    FOR EACH STATEMENT EXECUTE FUNCTION bump_lookup_generation();
