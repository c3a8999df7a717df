-- How far a sync under way has come, and where the last sync left off, so the next reads only what changed since: the settings it ran
-- with and the directory's own change mark (AD's update sequence number on one domain
-- controller, or an OpenLDAP modification time); and when the last full listing ran.
ALTER TABLE directory_sync ADD COLUMN watermark TEXT;
ALTER TABLE directory_sync ADD COLUMN last_full_at BIGINT NOT NULL DEFAULT 0;
-- JSON: how far the sync under way has come (when it started, entries read); NULL when none runs
ALTER TABLE directory_sync ADD COLUMN progress TEXT;
