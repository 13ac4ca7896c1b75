ALTER TABLE `daily_totals` ADD `mark_n2` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_totals` ADD `mark_n1` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_totals` ADD `mark_0` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_totals` ADD `mark_p1` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_totals` ADD `mark_p2` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_totals` ADD `mark_a` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_totals` ADD `mark_wip` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_totals` ADD `mark_x` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_totals` ADD `mark_s` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_totals` ADD `disagreements` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_totals` ADD `abandoned` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `records_date_idx` ON `records` (`date`);--> statement-breakpoint
CREATE INDEX `records_release_date_idx` ON `records` (`release`,`date`);--> statement-breakpoint
CREATE INDEX `records_user_date_idx` ON `records` (`user_id`,`date`);--> statement-breakpoint
CREATE INDEX `records_company_date_idx` ON `records` (`company_name`,`date`);--> statement-breakpoint
-- Marks and reviews already stored get their new measures (worker/domain/contrib/metrics.ts):
-- their totals rows are counted again from the records.
DELETE FROM `daily_totals` WHERE `record_type` IN ('mark', 'review');--> statement-breakpoint
INSERT INTO `daily_totals` (`day`, `release`, `module`, `company_name`, `user_id`, `record_type`, `records`, `loc`,
  `mark_n2`, `mark_n1`, `mark_0`, `mark_p1`, `mark_p2`, `mark_a`, `mark_wip`, `mark_x`, `mark_s`, `disagreements`, `abandoned`)
SELECT `day`, `release`, `module`, `company_name`, `user_id`, `record_type`, count(*), sum(`loc`),
  sum(b IS '-2'), sum(b IS '-1'), sum(b IS '0'), sum(b IS '1'), sum(b IS '2'), sum(b IS 'A'), sum(b IS 'WIP'), sum(b IS 'x'), sum(b IS 's'),
  sum(`record_type` = 'mark' AND `fields` ->> '$.disagreement' IS 1),
  sum(`record_type` = 'review' AND `fields` ->> '$.status' IS 'ABANDONED')
FROM (
  SELECT *, CASE
    WHEN `record_type` <> 'mark' THEN NULL
    WHEN `fields` ->> '$.type' LIKE 'Self-%' THEN 's'
    WHEN `fields` ->> '$.type' = 'Code-Review' AND `fields` ->> '$.value' IN (-2, -1, 1, 2) THEN CAST(`fields` ->> '$.value' AS TEXT)
    WHEN `fields` ->> '$.type' = 'Workflow' AND `fields` ->> '$.value' = 1 THEN 'A'
    WHEN `fields` ->> '$.type' = 'Workflow' AND `fields` ->> '$.value' = -1 THEN 'WIP'
    WHEN `fields` ->> '$.type' = 'Abandon' THEN 'x'
    ELSE '0' END AS b
  FROM `records` WHERE `record_type` IN ('mark', 'review')
) GROUP BY `day`, `release`, `module`, `company_name`, `user_id`, `record_type`;
