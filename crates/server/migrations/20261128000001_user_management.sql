-- Password expiry and history, admin-managed users, and the Users page's filters.

-- exempt from the expiration policy
ALTER TABLE users ADD COLUMN password_never_expires BIGINT NOT NULL DEFAULT 0;
-- an admin set the password and asked for a change at next sign-in
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
-- Unix seconds of the last successful sign-in (0 = never)
ALTER TABLE users ADD COLUMN last_sign_in_at BIGINT NOT NULL DEFAULT 0;
-- the password_version the expiry notice was sent for, so each password is warned about once
ALTER TABLE users ADD COLUMN expiry_notice_version BIGINT NOT NULL DEFAULT -1;
-- passwords set before this column existed count from the account's creation
UPDATE users SET password_changed_at = created_at WHERE password_changed_at = 0;
CREATE INDEX users_by_password_age ON users(password_changed_at);
CREATE INDEX users_by_enabled ON users(enabled, sign_in_name_lc);

-- why this session must change its password before anything else (NULL = no need)
ALTER TABLE sessions ADD COLUMN password_change_due TEXT;

-- Earlier password hashes (argon2id), newest first by set_at, for the policy's history.
CREATE TABLE password_history (
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    password_hash  TEXT NOT NULL,
    set_at         BIGINT NOT NULL
);
CREATE INDEX password_history_by_user ON password_history(user_id, set_at);
