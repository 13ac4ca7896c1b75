-- Keep every change of release, not only the last release of each day: an upgrade and its revert
-- on one day are two transitions. The table is rebuilt with an id that orders the changes (the
-- old primary key allowed one row per installation and day), and the triggers append a row
-- instead of replacing the day's.
DROP TRIGGER `installation_release_days_on_insert`;--> statement-breakpoint
DROP TRIGGER `installation_release_days_on_update`;--> statement-breakpoint
CREATE TABLE `__new_installation_release_days` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`master_node_uid` text NOT NULL,
	`day` text NOT NULL,
	`release` text
);
--> statement-breakpoint
INSERT INTO `__new_installation_release_days`("master_node_uid", "day", "release")
SELECT "master_node_uid", "day", "release" FROM `installation_release_days` ORDER BY "master_node_uid", "day";--> statement-breakpoint
DROP TABLE `installation_release_days`;--> statement-breakpoint
ALTER TABLE `__new_installation_release_days` RENAME TO `installation_release_days`;--> statement-breakpoint
CREATE INDEX `installation_release_days_uid_day_idx` ON `installation_release_days` (`master_node_uid`,`day`,`id`);--> statement-breakpoint
-- The day is that of updated_at, UTC.
CREATE TRIGGER installation_release_days_on_insert
AFTER INSERT ON installation_structures
BEGIN
  INSERT INTO installation_release_days (master_node_uid, day, release)
  VALUES (NEW.master_node_uid, strftime('%Y-%m-%d', NEW.updated_at / 1000, 'unixepoch'), NEW.release);
END;
--> statement-breakpoint
CREATE TRIGGER installation_release_days_on_update
AFTER UPDATE OF release ON installation_structures
WHEN OLD.release IS NOT NEW.release
BEGIN
  INSERT INTO installation_release_days (master_node_uid, day, release)
  VALUES (NEW.master_node_uid, strftime('%Y-%m-%d', NEW.updated_at / 1000, 'unixepoch'), NEW.release);
END;
