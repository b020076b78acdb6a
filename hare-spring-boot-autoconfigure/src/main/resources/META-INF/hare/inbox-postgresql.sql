-- Hare's idempotent inbox (hare.inbox.*) for PostgreSQL 10 or later.
-- Hare runs this itself with hare.inbox.initialize-schema=true; with Flyway or Liquibase, copy it
-- into a migration, renaming hare_inbox if hare.inbox.table says otherwise.
-- One row per message an idempotent listener handled, written in the handler's transaction;
-- rows older than hare.inbox.retention are deleted on a schedule.
CREATE TABLE IF NOT EXISTS hare_inbox (
	listener VARCHAR(255) NOT NULL,
	message_id VARCHAR(255) NOT NULL,
	received_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
	PRIMARY KEY (listener, message_id)
);
CREATE INDEX IF NOT EXISTS hare_inbox_received ON hare_inbox (received_at);
