DROP INDEX `daily_totals_company_day_idx`;--> statement-breakpoint
CREATE INDEX `daily_totals_company_type_day_idx` ON `daily_totals` (`company_name`,`record_type`,`day`,`module`);--> statement-breakpoint
DROP INDEX `records_release_company_idx`;--> statement-breakpoint
CREATE INDEX `records_release_company_date_idx` ON `records` (`release`,`company_name`,`date`);