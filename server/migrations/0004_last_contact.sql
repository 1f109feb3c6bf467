-- 0004: when each login (staff session, resident session) was last in touch with the server, other
-- than to send its own changes. A ballot received after a survey's close that claims an earlier cast
-- time is believed only from a login not in touch since the close (RULES sync model; ARCHITECTURE.md
-- "Late ballots"). Day-granular: the first contact of the latest day with a contact (closes are at
-- midnight China time, so that is exact). NULL: no contact since the login itself (created_at_ms).
ALTER TABLE sessions ADD COLUMN last_contact_ms INTEGER;
ALTER TABLE resident_sessions ADD COLUMN last_contact_ms INTEGER;
