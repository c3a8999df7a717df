-- Users and groups of the organisation's LDAP directory, mirrored beside Rekey's own so that
-- security info, sessions, flows and audit keep pointing at one local id. The directory stays
-- the owner of names, membership and passwords.

-- 'local': Rekey's own account (its password hash is here); 'ldap': the directory's (no hash
-- here: the directory checks the password)
ALTER TABLE users ADD COLUMN source TEXT NOT NULL DEFAULT 'local';
-- the directory's stable id (entryUUID / objectGUID): renames and moves keep the same row
ALTER TABLE users ADD COLUMN external_id TEXT;
-- where the entry is now (binds go there)
ALTER TABLE users ADD COLUMN external_dn TEXT;
CREATE UNIQUE INDEX users_by_external_id ON users(external_id);

ALTER TABLE directory_groups ADD COLUMN source TEXT NOT NULL DEFAULT 'local';
ALTER TABLE directory_groups ADD COLUMN external_id TEXT;
ALTER TABLE directory_groups ADD COLUMN external_dn TEXT;
CREATE UNIQUE INDEX directory_groups_by_external_id ON directory_groups(external_id);

-- One row: which instance is syncing and until when (a lease, so one instance syncs at a time
-- whatever their number), and what the last sync did.
CREATE TABLE directory_sync (
    id               BIGINT PRIMARY KEY,
    holder           TEXT NOT NULL DEFAULT '',
    lease_until      BIGINT NOT NULL DEFAULT 0,
    -- JSON: when, how many added / changed / removed, errors
    last_result      TEXT
);
INSERT INTO directory_sync (id) VALUES (1);
