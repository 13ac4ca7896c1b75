CREATE TABLE `processor_steps` (
	`source_id` text NOT NULL,
	`version` integer NOT NULL,
	`started_at` integer NOT NULL,
	`ms` integer NOT NULL,
	`requests` integer NOT NULL,
	`queries` integer NOT NULL,
	`fetched` integer NOT NULL,
	`stored` integer NOT NULL,
	`rows_read` integer NOT NULL,
	`rows_written` integer NOT NULL,
	PRIMARY KEY(`source_id`, `version`)
);
--> statement-breakpoint
CREATE INDEX `processor_steps_started_idx` ON `processor_steps` (`started_at`);