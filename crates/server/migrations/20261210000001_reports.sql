-- Usage & insights. The audit events that reports sum carry their flow, methods and detail
-- (a failure's reason, a registration change's kind) as columns, filled from the detail JSON
-- by the server as it records; the lines below fill them for events written before.
ALTER TABLE audit_events ADD COLUMN flow TEXT;
ALTER TABLE audit_events ADD COLUMN methods TEXT;
ALTER TABLE audit_events ADD COLUMN detail TEXT;

-- The JSON was written by serde_json (no spaces), and each value is one of a known few, so a
-- pattern match reads it the same on SQLite and PostgreSQL.
UPDATE audit_events SET flow = CASE
    WHEN new_value LIKE '%"flow":"reset"%' THEN 'reset'
    WHEN new_value LIKE '%"flow":"unlock"%' THEN 'unlock'
    WHEN new_value LIKE '%"flow":"step_up"%' THEN 'step_up'
  END
  WHERE action = 'proof_failed';
UPDATE audit_events SET flow = 'reset' WHERE action = 'password_reset_self';
UPDATE audit_events SET flow = 'unlock' WHERE action = 'account_unlocked_self';

UPDATE audit_events SET detail = CASE
    WHEN new_value LIKE '%"reason":"wrong_code"%' THEN 'wrong_code'
    WHEN new_value LIKE '%"reason":"wrong_answers"%' THEN 'wrong_answers'
    WHEN new_value LIKE '%"reason":"code_reused"%' THEN 'code_reused'
    WHEN new_value LIKE '%"reason":"code_expired"%' THEN 'code_expired'
  END
  WHERE action = 'proof_failed';
UPDATE audit_events SET detail = CASE
    WHEN new_value LIKE '%"change":"added"%' THEN 'added'
    WHEN new_value LIKE '%"change":"changed"%' THEN 'changed'
    WHEN new_value LIKE '%"change":"removed"%' THEN 'removed'
  END
  WHERE action = 'security_info_changed';

-- One method ("method":"email") or several ("methods":["email","mobile_phone"]), kept in
-- the order of `MethodKind::ALL`, comma-separated.
UPDATE audit_events SET methods = NULLIF(RTRIM(
       CASE WHEN new_value LIKE '%"method":"authenticator_app"%'
              OR new_value LIKE '%"methods":[%"authenticator_app"%' THEN 'authenticator_app,' ELSE '' END
    || CASE WHEN new_value LIKE '%"method":"mobile_phone"%'
              OR new_value LIKE '%"methods":[%"mobile_phone"%' THEN 'mobile_phone,' ELSE '' END
    || CASE WHEN new_value LIKE '%"method":"email"%'
              OR new_value LIKE '%"methods":[%"email"%' THEN 'email,' ELSE '' END
    || CASE WHEN new_value LIKE '%"method":"security_questions"%'
              OR new_value LIKE '%"methods":[%"security_questions"%' THEN 'security_questions,' ELSE '' END,
    ','), '')
  WHERE action IN ('proof_failed', 'password_reset_self', 'account_unlocked_self',
                   'security_info_changed');

-- Daily counts of the events reports sum, kept up to date in the transaction that records
-- each event (`store::audit::record`): a report over months reads a few hundred rows, not
-- every event. Days are UTC (`at_ms / 86400000`). `method` is '' on the row that counts the
-- events themselves; an event naming methods also adds one to a row per method.
CREATE TABLE audit_daily (
    day     BIGINT NOT NULL,
    action  TEXT NOT NULL,
    flow    TEXT NOT NULL,
    detail  TEXT NOT NULL,
    method  TEXT NOT NULL,
    events  BIGINT NOT NULL,
    PRIMARY KEY (day, action, flow, detail, method)
);

INSERT INTO audit_daily (day, action, flow, detail, method, events)
  SELECT at_ms / 86400000, action, COALESCE(flow, ''), COALESCE(detail, ''), '', COUNT(*)
  FROM audit_events
  WHERE action IN ('reset_started', 'reset_abandoned', 'password_reset_self',
                   'account_unlocked_self', 'password_reset_by_admin',
                   'account_unlocked_by_admin', 'proof_failed', 'reset_blocked',
                   'security_info_changed', 'security_info_confirmed')
  GROUP BY at_ms / 86400000, action, COALESCE(flow, ''), COALESCE(detail, '');

CREATE TABLE report_method_names (method TEXT PRIMARY KEY);
INSERT INTO report_method_names (method) VALUES
  ('authenticator_app'), ('mobile_phone'), ('email'), ('security_questions');
INSERT INTO audit_daily (day, action, flow, detail, method, events)
  SELECT e.at_ms / 86400000, e.action, COALESCE(e.flow, ''), COALESCE(e.detail, ''), m.method,
         COUNT(*)
  FROM audit_events e
  JOIN report_method_names m ON (',' || e.methods || ',') LIKE ('%,' || m.method || ',%')
  WHERE e.methods IS NOT NULL
  GROUP BY e.at_ms / 86400000, e.action, COALESCE(e.flow, ''), COALESCE(e.detail, ''), m.method;
DROP TABLE report_method_names;

-- Drill-downs from a report to the events behind a figure.
CREATE INDEX audit_events_by_detail ON audit_events(action, detail, at_ms);

-- Where a reset flow would stop if the person left now (`StopReason`); set from the start.
-- Flows begun before this have none, and are never reported as abandoned (nor as started).
ALTER TABLE reset_flows ADD COLUMN stop_reason TEXT;

-- What each user holds, kept up to date by `store::security_info` in the transaction of every
-- change: a bit per method (authenticator app 1, mobile phone 2, email 4) and how many
-- security answers. Registration figures and the Users filters read these instead of joining
-- every user's methods.
ALTER TABLE users ADD COLUMN methods_held BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN answers_held BIGINT NOT NULL DEFAULT 0;
UPDATE users SET
  methods_held = (SELECT COALESCE(SUM(CASE a.method WHEN 'authenticator_app' THEN 1
      WHEN 'mobile_phone' THEN 2 WHEN 'email' THEN 4 ELSE 0 END), 0)
    FROM auth_methods a WHERE a.user_id = users.id),
  answers_held = (SELECT COUNT(*) FROM security_answers s WHERE s.user_id = users.id);
CREATE INDEX users_by_methods_held ON users(enabled, methods_held, answers_held);

-- The registration figures as last computed, per group filter ('' for everyone): counting a
-- hundred thousand users takes a few hundred milliseconds, so a report at most a minute old
-- is served from here (with the time it was counted) unless a fresh count is asked for.
CREATE TABLE report_snapshots (
    key          TEXT PRIMARY KEY,
    computed_at  BIGINT NOT NULL,
    body         TEXT NOT NULL
);
