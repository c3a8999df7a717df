-- Whom self-service reset covers, kept on each user (`store::coverage`): reports and the
-- Users page's filters read this flag instead of the scope group's memberships, which at
-- 100,000 users cost more than a request may take.
ALTER TABLE users ADD COLUMN sspr_covered BIGINT NOT NULL DEFAULT 0;

-- The flags for the scope saved before. The section is JSON written by serde_json (no
-- spaces), so a pattern match reads it the same on SQLite and PostgreSQL.
UPDATE users SET sspr_covered = 1
  WHERE EXISTS (SELECT 1 FROM settings WHERE key = 'sspr' AND value LIKE '%"scope":"all"%');
WITH RECURSIVE within(id) AS (
    SELECT g.id FROM directory_groups g JOIN settings s ON s.key = 'sspr'
      AND s.value LIKE '%"scope":"selected"%'
      AND s.value LIKE ('%"group_id":"' || g.id || '"%')
    UNION
    SELECT gg.child_group_id FROM group_group_members gg JOIN within w ON gg.group_id = w.id)
UPDATE users SET sspr_covered = 1
  WHERE id IN (SELECT gm.user_id FROM group_user_members gm
               WHERE gm.group_id IN (SELECT id FROM within));

-- Reports count users by what they hold and whether they are covered, and the Users page's
-- registration filters test the same and whether each is an admin (by id): one index holds
-- it all, so neither reads the table.
DROP INDEX users_by_methods_held;
CREATE INDEX users_by_methods_held
  ON users(enabled, methods_held, answers_held, sspr_covered, id);

-- The Users page walks users by name and tests these columns on each (filters by
-- registration, method, coverage, admin role): from the index alone, not the table.
DROP INDEX users_by_enabled;
CREATE INDEX users_by_enabled
  ON users(enabled, sign_in_name_lc, sspr_covered, methods_held, answers_held, id);
