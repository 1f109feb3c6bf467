-- 0003: an account can be disabled (`linli-server admin disable-user`): it cannot log in, and its sessions
-- are gone. NULL = enabled.
ALTER TABLE users ADD COLUMN disabled_at_ms INTEGER;
