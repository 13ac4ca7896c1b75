-- The punch card (/api/1.0/reports/punch_card) counts a person's or a company's records of five types by
-- weekday and hour from an index alone. records_user_id_idx goes: records_user_date_idx (and now
-- records_user_type_date_idx) begin with user_id, so it only cost writes.
DROP INDEX `records_user_id_idx`;--> statement-breakpoint
CREATE INDEX `records_user_type_date_idx` ON `records` (`user_id`,`record_type`,`date`,`company_name`);--> statement-breakpoint
CREATE INDEX `records_company_type_date_idx` ON `records` (`company_name`,`record_type`,`date`);