-- 0003: an account can be disabled (`linli-server admin disable-user`): it cannot log in, and its sessions
-- are gone. NULL = enabled.
ALTER TABLE users ADD COLUMN disabled_at_ms INTEGER;
-- From this version `rejections.json` holds `sha256:<hex>` of the refused operation, not the operation:
-- a refused body may be megabytes, and only a re-send needs recognising.
