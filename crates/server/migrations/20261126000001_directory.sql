-- One schema for SQLite and PostgreSQL: only TEXT and BIGINT columns, so both backends read
-- the same types through sqlx's Any driver. Times are Unix seconds (audit: milliseconds).

CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    sign_in_name     TEXT NOT NULL,
    sign_in_name_lc  TEXT NOT NULL UNIQUE,
    display_name     TEXT NOT NULL,
    -- lower-cased "sign-in name + display name", for search
    search_text      TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    enabled          BIGINT NOT NULL DEFAULT 1,
    created_at       BIGINT NOT NULL
);

CREATE TABLE user_roles (
    user_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role     TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);
CREATE INDEX user_roles_by_role ON user_roles(role);

CREATE TABLE directory_groups (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    name_lc      TEXT NOT NULL UNIQUE,
    description  TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL
);

CREATE TABLE group_user_members (
    group_id  TEXT NOT NULL REFERENCES directory_groups(id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_user_members_by_user ON group_user_members(user_id);

-- nested groups: child_group_id's members are members of group_id
CREATE TABLE group_group_members (
    group_id        TEXT NOT NULL REFERENCES directory_groups(id) ON DELETE CASCADE,
    child_group_id  TEXT NOT NULL REFERENCES directory_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, child_group_id)
);
CREATE INDEX group_group_members_by_child ON group_group_members(child_group_id);

CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

-- Smart lockout, keyed by the normalised sign-in name whether or not such a user exists,
-- so lockout behaves the same for unknown names.
CREATE TABLE sign_in_throttle (
    name_key      TEXT PRIMARY KEY,
    failures      BIGINT NOT NULL,
    lockouts      BIGINT NOT NULL,
    locked_until  BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT
);

CREATE TABLE audit_events (
    id         TEXT PRIMARY KEY,
    at_ms      BIGINT NOT NULL,
    actor      TEXT,
    action     TEXT NOT NULL,
    target     TEXT,
    old_value  TEXT,
    new_value  TEXT
);
CREATE INDEX audit_events_by_time ON audit_events(at_ms);
