-- Passkeys (WebAuthn): several per user, each with its public key, signature counter and
-- backup flags (webauthn-rs's record of it, as JSON: no secret is stored), a name the user
-- gives it, and when it was added and last used.
CREATE TABLE passkeys (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- base64url, as browsers write it
    credential_id  TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    credential     TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    last_used_at   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX passkeys_by_user ON passkeys(user_id, created_at);

-- The WebAuthn user handle a user's passkeys carry: random, so it says nothing of the account.
ALTER TABLE users ADD COLUMN passkey_handle TEXT;
CREATE UNIQUE INDEX users_by_passkey_handle ON users(passkey_handle);

-- A ceremony between its two requests: single-use (taken by DELETE … RETURNING), short-lived,
-- bound to the session or reset flow that started it. Only a hash of its id is stored.
CREATE TABLE passkey_challenges (
    id_hash     TEXT PRIMARY KEY,
    purpose     TEXT NOT NULL,
    bound_to    TEXT NOT NULL,
    state       TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX passkey_challenges_by_expiry ON passkey_challenges(expires_at);
