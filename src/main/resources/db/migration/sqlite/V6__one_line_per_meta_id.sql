-- An Instagram account or a Facebook Page belongs to one active line. Meta's webhooks name their line only by that id
-- (entry.id), so two active lines holding one id would both receive the other's customers' messages.
--
-- A database written before this rule may already hold such duplicates. The earliest active line (lowest id) keeps the
-- id; every later active line holding it is deactivated here, so no start-up fails and no message reaches the wrong
-- line again. A deactivated line answers 230 to sends; `linegate line list` shows it with active false and updated_at
-- at the upgrade. See docs/operations.md, "Upgrading".
UPDATE lines SET active = 0, updated_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE active AND ig_account_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM lines earlier
              WHERE earlier.active AND earlier.ig_account_id = lines.ig_account_id AND earlier.id < lines.id);

UPDATE lines SET active = 0, updated_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE active AND page_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM lines earlier
              WHERE earlier.active AND earlier.page_id = lines.page_id AND earlier.id < lines.id);

CREATE UNIQUE INDEX lines_active_ig_account ON lines (ig_account_id) WHERE active AND ig_account_id IS NOT NULL;
CREATE UNIQUE INDEX lines_active_page ON lines (page_id) WHERE active AND page_id IS NOT NULL;

-- /health/ready proves the database accepts a write by upserting this one row (each probe, at most once a second a node).
CREATE TABLE health_probe (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    probed_at INTEGER NOT NULL
);
