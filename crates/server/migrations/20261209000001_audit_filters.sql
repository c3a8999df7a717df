-- Who sent the request an audit event comes from; NULL for the system's own work.
ALTER TABLE audit_events ADD COLUMN client_ip TEXT;
ALTER TABLE audit_events ADD COLUMN user_agent TEXT;

-- The audit log's filters, each read newest first: by action, by who did it, by whom it was
-- done to. Paging goes by (time, id), so a page deep in a million events costs what the first
-- one does.
CREATE INDEX audit_events_by_action ON audit_events(action, at_ms);
CREATE INDEX audit_events_by_actor ON audit_events(actor, at_ms);
CREATE INDEX audit_events_by_target ON audit_events(target, at_ms);
DROP INDEX audit_events_by_time;
CREATE INDEX audit_events_by_time ON audit_events(at_ms, id);
