-- The public reset flow: proof-of-work puzzles, flows (only a hash of the flow token is
-- stored), and a generic event log for sliding-window rate limits.

CREATE TABLE pow_challenges (
    id          TEXT PRIMARY KEY,
    prefix      TEXT NOT NULL,
    difficulty  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used        BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE reset_flows (
    token_hash        TEXT PRIMARY KEY,
    -- the sign-in name as typed, normalised (whether or not it matches anyone)
    name_key          TEXT NOT NULL,
    -- the user, when the name matches someone self-service reset covers who is registered
    user_id           TEXT,
    -- the user's password version at the start: a reset commits only if it is unchanged
    password_version  BIGINT NOT NULL,
    intent            TEXT,
    -- comma-separated methods passed, and the question ids asked now
    gates_passed      TEXT NOT NULL DEFAULT '',
    questions         TEXT NOT NULL DEFAULT '',
    created_at        BIGINT NOT NULL,
    expires_at        BIGINT NOT NULL,
    finished          BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE rate_events (
    key  TEXT NOT NULL,
    at   BIGINT NOT NULL
);
CREATE INDEX rate_events_by_key ON rate_events(key, at);

ALTER TABLE users ADD COLUMN password_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN password_changed_at BIGINT NOT NULL DEFAULT 0;
