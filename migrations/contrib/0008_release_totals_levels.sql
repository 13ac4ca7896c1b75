ALTER TABLE `release_totals` ADD `level` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `release_totals_level_idx` ON `release_totals` (`level`,`record_type`,`release`);--> statement-breakpoint
-- The levels across modules, per company, per module and per release, from the rows kept so far.
UPDATE `release_totals` SET `level` = 1 WHERE `record_type` = 'pd' AND `module` = '*';--> statement-breakpoint
INSERT INTO `release_totals` (`release`, `module`, `company_name`, `user_id`, `record_type`, `level`, `records`, `loc`, `mark_n2`, `mark_n1`, `mark_0`, `mark_p1`, `mark_p2`, `mark_a`, `mark_wip`, `mark_x`, `mark_s`, `disagreements`, `abandoned`)
SELECT `release`, '*', `company_name`, `user_id`, `record_type`, 1, sum(`records`), sum(`loc`), sum(`mark_n2`), sum(`mark_n1`), sum(`mark_0`), sum(`mark_p1`), sum(`mark_p2`), sum(`mark_a`), sum(`mark_wip`), sum(`mark_x`), sum(`mark_s`), sum(`disagreements`), sum(`abandoned`)
FROM `release_totals` WHERE `level` = 0 AND `record_type` <> 'pd' GROUP BY `release`, `company_name`, `user_id`, `record_type`;--> statement-breakpoint
INSERT INTO `release_totals` (`release`, `module`, `company_name`, `user_id`, `record_type`, `level`, `records`, `loc`, `mark_n2`, `mark_n1`, `mark_0`, `mark_p1`, `mark_p2`, `mark_a`, `mark_wip`, `mark_x`, `mark_s`, `disagreements`, `abandoned`)
SELECT `release`, '*', `company_name`, '*', `record_type`, 2, sum(`records`), sum(`loc`), sum(`mark_n2`), sum(`mark_n1`), sum(`mark_0`), sum(`mark_p1`), sum(`mark_p2`), sum(`mark_a`), sum(`mark_wip`), sum(`mark_x`), sum(`mark_s`), sum(`disagreements`), sum(`abandoned`)
FROM `release_totals` WHERE `level` = 0 AND `record_type` <> 'pd' GROUP BY `release`, `company_name`, `record_type`;--> statement-breakpoint
INSERT INTO `release_totals` (`release`, `module`, `company_name`, `user_id`, `record_type`, `level`, `records`, `loc`, `mark_n2`, `mark_n1`, `mark_0`, `mark_p1`, `mark_p2`, `mark_a`, `mark_wip`, `mark_x`, `mark_s`, `disagreements`, `abandoned`)
SELECT `release`, `module`, '*', '*', `record_type`, 3, sum(`records`), sum(`loc`), sum(`mark_n2`), sum(`mark_n1`), sum(`mark_0`), sum(`mark_p1`), sum(`mark_p2`), sum(`mark_a`), sum(`mark_wip`), sum(`mark_x`), sum(`mark_s`), sum(`disagreements`), sum(`abandoned`)
FROM `release_totals` WHERE `level` = 0 AND `record_type` <> 'pd' AND NOT (`company_name` = '*robots' AND `record_type` NOT IN ('patch', 'review'))
GROUP BY `release`, `module`, `record_type`;--> statement-breakpoint
INSERT INTO `release_totals` (`release`, `module`, `company_name`, `user_id`, `record_type`, `level`, `records`, `loc`, `mark_n2`, `mark_n1`, `mark_0`, `mark_p1`, `mark_p2`, `mark_a`, `mark_wip`, `mark_x`, `mark_s`, `disagreements`, `abandoned`)
SELECT `release`, '*', '*', '*', `record_type`, 4, sum(`records`), sum(`loc`), sum(`mark_n2`), sum(`mark_n1`), sum(`mark_0`), sum(`mark_p1`), sum(`mark_p2`), sum(`mark_a`), sum(`mark_wip`), sum(`mark_x`), sum(`mark_s`), sum(`disagreements`), sum(`abandoned`)
FROM `release_totals` WHERE `level` = 0 AND `record_type` <> 'pd' AND NOT (`company_name` = '*robots' AND `record_type` NOT IN ('patch', 'review'))
GROUP BY `release`, `record_type`;--> statement-breakpoint
INSERT INTO `release_totals` (`release`, `module`, `company_name`, `user_id`, `record_type`, `level`, `days`)
SELECT `release`, '*', `company_name`, '*', 'pd', 2, sum(`days`) FROM `release_totals` WHERE `record_type` = 'pd' AND `level` = 1 GROUP BY `release`, `company_name`;--> statement-breakpoint
INSERT INTO `release_totals` (`release`, `module`, `company_name`, `user_id`, `record_type`, `level`, `days`)
SELECT `release`, `module`, '*', '*', 'pd', 3, sum(`days`) FROM `release_totals` WHERE `record_type` = 'pd' AND `level` = 0 AND `company_name` <> '*robots'
GROUP BY `release`, `module`;
