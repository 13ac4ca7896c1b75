-- Everyone's totals per day and record type (the timeline without a module, company or person
-- filter), WITHOUT ROWID: a type's days are one range. Filled from the daily totals kept so far.
CREATE TABLE `day_totals` (
	`day` integer NOT NULL,
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
	`people` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`record_type`, `day`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `day_totals` (`day`, `record_type`, `records`, `loc`, `mark_n2`, `mark_n1`, `mark_0`, `mark_p1`, `mark_p2`, `mark_a`, `mark_wip`, `mark_x`, `mark_s`, `disagreements`, `abandoned`)
SELECT `day`, `record_type`, sum(`records`), sum(`loc`), sum(`mark_n2`), sum(`mark_n1`), sum(`mark_0`), sum(`mark_p1`), sum(`mark_p2`), sum(`mark_a`), sum(`mark_wip`), sum(`mark_x`), sum(`mark_s`), sum(`disagreements`), sum(`abandoned`)
FROM `daily_totals` WHERE NOT (`company_name` = '*robots' AND `record_type` NOT IN ('patch', 'review'))
GROUP BY `record_type`, `day`;--> statement-breakpoint
INSERT INTO `day_totals` (`day`, `record_type`, `people`)
SELECT `day`, 'pd', count(DISTINCT `user_id`) FROM `daily_totals`
WHERE `record_type` IN ('mark', 'patch', 'email', 'bpd', 'bugf') AND `company_name` <> '*robots'
GROUP BY `day`;
