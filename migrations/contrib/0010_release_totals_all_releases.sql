-- release_totals stored in the order the statistics read it (level, record type, release, company,
-- person, module) and WITHOUT ROWID, so that a question's rows are one range of the table itself,
-- not an index range with a lookup per row; the old key stays unique for the upserts.
CREATE TABLE `__new_release_totals` (
	`release` text NOT NULL,
	`module` text NOT NULL,
	`company_name` text NOT NULL,
	`user_id` text NOT NULL,
	`record_type` text NOT NULL,
	`records` integer DEFAULT 0 NOT NULL,
	`loc` integer DEFAULT 0 NOT NULL,
	`mark_n2` integer DEFAULT 0 NOT NULL,
	`mark_n1` integer DEFAULT 0 NOT NULL,
	`mark_0` integer DEFAULT 0 NOT NULL,
	`mark_p1` integer DEFAULT 0 NOT NULL,
	`mark_p2` integer DEFAULT 0 NOT NULL,
	`mark_a` integer DEFAULT 0 NOT NULL,
	`mark_wip` integer DEFAULT 0 NOT NULL,
	`mark_x` integer DEFAULT 0 NOT NULL,
	`mark_s` integer DEFAULT 0 NOT NULL,
	`disagreements` integer DEFAULT 0 NOT NULL,
	`abandoned` integer DEFAULT 0 NOT NULL,
	`days` integer DEFAULT 0 NOT NULL,
	`level` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`level`, `record_type`, `release`, `company_name`, `user_id`, `module`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_release_totals`("release", "module", "company_name", "user_id", "record_type", "records", "loc", "mark_n2", "mark_n1", "mark_0", "mark_p1", "mark_p2", "mark_a", "mark_wip", "mark_x", "mark_s", "disagreements", "abandoned", "days", "level") SELECT "release", "module", "company_name", "user_id", "record_type", "records", "loc", "mark_n2", "mark_n1", "mark_0", "mark_p1", "mark_p2", "mark_a", "mark_wip", "mark_x", "mark_s", "disagreements", "abandoned", "days", "level" FROM `release_totals`
ORDER BY "level", "record_type", "release", "company_name", "user_id", "module";--> statement-breakpoint
DROP TABLE `release_totals`;--> statement-breakpoint
ALTER TABLE `__new_release_totals` RENAME TO `release_totals`;--> statement-breakpoint
CREATE UNIQUE INDEX `release_totals_key_idx` ON `release_totals` (`release`,`module`,`company_name`,`user_id`,`record_type`);--> statement-breakpoint
CREATE INDEX `release_totals_modules_idx` ON `release_totals` (`module`) WHERE level = 3;--> statement-breakpoint
-- Levels 1 to 4 over every release (release `*`): the sums of the releases' rows, person-days too.
INSERT INTO `release_totals` (`release`, `module`, `company_name`, `user_id`, `record_type`, `level`, `records`, `loc`, `mark_n2`, `mark_n1`, `mark_0`, `mark_p1`, `mark_p2`, `mark_a`, `mark_wip`, `mark_x`, `mark_s`, `disagreements`, `abandoned`, `days`)
SELECT '*', `module`, `company_name`, `user_id`, `record_type`, `level`, sum(`records`), sum(`loc`), sum(`mark_n2`), sum(`mark_n1`), sum(`mark_0`), sum(`mark_p1`), sum(`mark_p2`), sum(`mark_a`), sum(`mark_wip`), sum(`mark_x`), sum(`mark_s`), sum(`disagreements`), sum(`abandoned`), sum(`days`)
FROM `release_totals` WHERE `level` > 0 AND `release` <> '*'
GROUP BY `level`, `record_type`, `company_name`, `user_id`, `module`;
