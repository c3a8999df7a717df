-- Users' security info: the methods they registered (or an admin filled in), their security
-- answers (argon2id hashes only), and the one-time codes that verify addresses and prove
-- possession.

CREATE TABLE auth_methods (
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- email | mobile_phone | authenticator_app | authenticator_app_pending
    method        TEXT NOT NULL,
    -- the address, the E.164 number, or the sealed (encrypted) authenticator secret
    value         TEXT NOT NULL,
    -- authenticator: the last time step accepted, so no code is accepted twice
    last_step     BIGINT NOT NULL DEFAULT 0,
    set_by_admin  BIGINT NOT NULL DEFAULT 0,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (user_id, method)
);

CREATE TABLE security_answers (
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    question_id    TEXT NOT NULL,
    -- the organisation's own questions: their text when answered (built-ins are translated)
    question_text  TEXT,
    answer_hash    TEXT NOT NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (user_id, question_id)
);

-- when the user last registered or confirmed their security info (0 = never)
ALTER TABLE users ADD COLUMN info_confirmed_at BIGINT NOT NULL DEFAULT 0;
-- until when this session may change security info without proving a method again
ALTER TABLE sessions ADD COLUMN proved_until BIGINT NOT NULL DEFAULT 0;
-- the user skipped the registration wizard in this session
ALTER TABLE sessions ADD COLUMN registration_skipped BIGINT NOT NULL DEFAULT 0;

-- One-time codes, bound to one user, one flow (a session or a reset), one purpose and one
-- destination. Only a keyed hash is stored. Rows stay a day so sends can be counted per
-- destination, user and client address.
CREATE TABLE verification_codes (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL,
    flow         TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    destination  TEXT NOT NULL,
    client_ip    TEXT NOT NULL,
    code_hash    TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    used         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX verification_codes_by_flow ON verification_codes(user_id, flow, purpose, created_at);
CREATE INDEX verification_codes_by_destination ON verification_codes(destination, created_at);
CREATE INDEX verification_codes_by_ip ON verification_codes(client_ip, created_at);

-- Text messages share the outbox with email; codes are not worth delivering once expired.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
ALTER TABLE outbox ADD COLUMN discard_after BIGINT NOT NULL DEFAULT 0;
