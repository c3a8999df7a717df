-- Admin roles granted to everyone in a group (nested membership counts), beside the roles
-- granted to single users in user_roles: the way organisations with a directory delegate.
CREATE TABLE group_roles (
    group_id  TEXT NOT NULL REFERENCES directory_groups(id) ON DELETE CASCADE,
    role      TEXT NOT NULL,
    PRIMARY KEY (group_id, role)
);
