CREATE TABLE `release_totals` (
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
	PRIMARY KEY(`release`, `module`, `company_name`, `user_id`, `record_type`)
);
--> statement-breakpoint
CREATE INDEX `release_totals_type_company_idx` ON `release_totals` (`record_type`,`company_name`);--> statement-breakpoint
CREATE INDEX `daily_totals_release_company_user_idx` ON `daily_totals` (`release`,`company_name`,`user_id`,`module`,`day`);--> statement-breakpoint
-- Filled from the daily totals already stored (worker/db/contrib.ts keeps it in step from now on).
INSERT INTO `release_totals` (`release`, `module`, `company_name`, `user_id`, `record_type`, `records`, `loc`,
  `mark_n2`, `mark_n1`, `mark_0`, `mark_p1`, `mark_p2`, `mark_a`, `mark_wip`, `mark_x`, `mark_s`, `disagreements`, `abandoned`)
SELECT `release`, `module`, `company_name`, `user_id`, `record_type`, sum(`records`), sum(`loc`),
  sum(`mark_n2`), sum(`mark_n1`), sum(`mark_0`), sum(`mark_p1`), sum(`mark_p2`), sum(`mark_a`), sum(`mark_wip`), sum(`mark_x`), sum(`mark_s`),
  sum(`disagreements`), sum(`abandoned`)
FROM `daily_totals` GROUP BY `release`, `module`, `company_name`, `user_id`, `record_type`;--> statement-breakpoint
INSERT INTO `release_totals` (`release`, `module`, `company_name`, `user_id`, `record_type`, `days`)
SELECT `release`, `module`, `company_name`, `user_id`, 'pd', count(DISTINCT `day`) FROM `daily_totals`
WHERE `record_type` IN ('mark', 'patch', 'email', 'bpd', 'bugf') GROUP BY `release`, `module`, `company_name`, `user_id`;--> statement-breakpoint
INSERT INTO `release_totals` (`release`, `module`, `company_name`, `user_id`, `record_type`, `days`)
SELECT `release`, '*', `company_name`, `user_id`, 'pd', count(DISTINCT `day`) FROM `daily_totals`
WHERE `record_type` IN ('mark', 'patch', 'email', 'bpd', 'bugf') GROUP BY `release`, `company_name`, `user_id`;
