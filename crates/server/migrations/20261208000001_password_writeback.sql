-- A password write sent to the organisation's LDAP directory and not yet recorded here. At
-- most one per person at a time, so of two resets at once exactly one writes; and a row left
-- by a Rekey that stopped between the directory's answer and its own record is reconciled
-- against the directory at the next start (the audit says so). Never holds the password.
CREATE TABLE directory_writes (
    user_id          TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    -- this write's own random id: whoever releases it releases this one, not a later one
    id               TEXT NOT NULL,
    -- self_reset, admin_reset, change
    purpose          TEXT NOT NULL,
    -- the reset flow that sent it (a self-service reset), to end it once the write is known
    flow_token_hash  TEXT,
    -- who asked (the person, or the admin), for the audit
    actor            TEXT NOT NULL,
    must_change      BIGINT NOT NULL DEFAULT 0,
    -- when the directory said the password last changed, read just before the write
    mark_before      TEXT NOT NULL,
    started_at       BIGINT NOT NULL
);

-- When a directory person's password expires, as the directory computes it (AD's
-- msDS-UserPasswordExpiryTimeComputed, ppolicy's pwdChangedTime + pwdMaxAge); NULL: never, or
-- not known. Rekey's own expiry policy covers only the passwords it keeps.
ALTER TABLE users ADD COLUMN directory_password_expires_at BIGINT;
