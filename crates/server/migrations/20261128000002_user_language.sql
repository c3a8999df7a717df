-- The language a user last signed in with (a BCP 47 tag), so messages sent to them without a
-- request of theirs (expiry notices, a password an admin set) are in their language.
ALTER TABLE users ADD COLUMN lang TEXT;
