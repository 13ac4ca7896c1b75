CREATE TABLE `core_marks` (
	`profile_seq` integer NOT NULL,
	`module` text NOT NULL,
	`branch` text NOT NULL,
	`last_date` integer NOT NULL,
	PRIMARY KEY(`profile_seq`, `module`, `branch`)
);
--> statement-breakpoint
CREATE INDEX `core_marks_module_branch_idx` ON `core_marks` (`module`,`branch`);--> statement-breakpoint
CREATE TABLE `launchpad_people` (
	`key` text PRIMARY KEY NOT NULL,
	`launchpad_id` text,
	`display_name` text,
	`fetched_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `processor_claims` (
	`source_id` text NOT NULL,
	`version` integer NOT NULL,
	`claimed_at` integer NOT NULL,
	PRIMARY KEY(`source_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `processor_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`target` text NOT NULL,
	`cursor` text,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`failures` integer NOT NULL,
	`last_error` text,
	`queued_at` integer,
	`last_run_at` integer,
	`last_success_at` integer,
	`next_run_at` integer NOT NULL,
	`records_stored` integer NOT NULL,
	`steps` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `processor_sources_status_next_idx` ON `processor_sources` (`status`,`next_run_at`);--> statement-breakpoint
CREATE TABLE `record_refs` (
	`ref` text NOT NULL,
	`primary_key` text NOT NULL,
	PRIMARY KEY(`ref`, `primary_key`)
);
--> statement-breakpoint
CREATE INDEX `record_refs_primary_key_idx` ON `record_refs` (`primary_key`);--> statement-breakpoint
ALTER TABLE `records` ADD `derived` text DEFAULT '{}' NOT NULL;