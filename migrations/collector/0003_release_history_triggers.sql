-- Keep every release an installation reports (the last one of each day), so that a roll-up can
-- count version adoption and upgrades however rarely it runs. The day is that of updated_at, UTC.
-- A delete then an insert, not INSERT OR REPLACE: inside a trigger fired by the collector's upsert,
-- SQLite applies the outer statement's conflict resolution (abort) to the inner one.
CREATE TRIGGER installation_release_days_on_insert
AFTER INSERT ON installation_structures
BEGIN
  DELETE FROM installation_release_days
  WHERE master_node_uid = NEW.master_node_uid AND day = strftime('%Y-%m-%d', NEW.updated_at / 1000, 'unixepoch');
  INSERT INTO installation_release_days (master_node_uid, day, release)
  VALUES (NEW.master_node_uid, strftime('%Y-%m-%d', NEW.updated_at / 1000, 'unixepoch'), NEW.release);
END;
--> statement-breakpoint
CREATE TRIGGER installation_release_days_on_update
AFTER UPDATE OF release ON installation_structures
WHEN OLD.release IS NOT NEW.release
BEGIN
  DELETE FROM installation_release_days
  WHERE master_node_uid = NEW.master_node_uid AND day = strftime('%Y-%m-%d', NEW.updated_at / 1000, 'unixepoch');
  INSERT INTO installation_release_days (master_node_uid, day, release)
  VALUES (NEW.master_node_uid, strftime('%Y-%m-%d', NEW.updated_at / 1000, 'unixepoch'), NEW.release);
END;
--> statement-breakpoint
-- Installations stored before this migration: their current release, from the day they were created.
INSERT OR IGNORE INTO installation_release_days (master_node_uid, day, release)
SELECT master_node_uid, substr(creation_date, 1, 10), release FROM installation_structures;
