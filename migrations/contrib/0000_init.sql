CREATE TABLE `config_parts` (
	`version_id` integer NOT NULL,
	`part` integer NOT NULL,
	`text` text NOT NULL,
	PRIMARY KEY(`version_id`, `part`)
);
--> statement-breakpoint
CREATE TABLE `config_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`digest` text NOT NULL,
	`loaded_at` integer NOT NULL,
	`size` integer NOT NULL,
	`summary` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `config_versions_kind_id_idx` ON `config_versions` (`kind`,`id`);--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `daily_totals` (
	`day` integer NOT NULL,
	`release` text NOT NULL,
	`module` text NOT NULL,
	`company_name` text NOT NULL,
	`user_id` text NOT NULL,
	`record_type` text NOT NULL,
	`records` integer NOT NULL,
	`loc` integer NOT NULL,
	PRIMARY KEY(`day`, `release`, `module`, `company_name`, `user_id`, `record_type`)
);
--> statement-breakpoint
CREATE INDEX `daily_totals_release_company_idx` ON `daily_totals` (`release`,`company_name`);--> statement-breakpoint
CREATE TABLE `profile_keys` (
	`key` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `profile_keys_seq_idx` ON `profile_keys` (`seq`);--> statement-breakpoint
CREATE TABLE `profiles` (
	`seq` integer PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`user_name` text NOT NULL,
	`emails` text NOT NULL,
	`launchpad_id` text,
	`gerrit_id` text,
	`github_id` text,
	`zanata_id` text,
	`companies` text NOT NULL,
	`static` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `profiles_user_id_idx` ON `profiles` (`user_id`);--> statement-breakpoint
CREATE INDEX `profiles_static_idx` ON `profiles` (`static`);--> statement-breakpoint
CREATE TABLE `records` (
	`primary_key` text PRIMARY KEY NOT NULL,
	`record_type` text NOT NULL,
	`date` integer NOT NULL,
	`day` integer NOT NULL,
	`week` integer NOT NULL,
	`profile_seq` integer NOT NULL,
	`user_id` text NOT NULL,
	`author_name` text NOT NULL,
	`author_email` text,
	`company_name` text NOT NULL,
	`release` text NOT NULL,
	`module` text NOT NULL,
	`loc` integer NOT NULL,
	`raw` text NOT NULL,
	`fields` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `records_profile_seq_idx` ON `records` (`profile_seq`);--> statement-breakpoint
CREATE INDEX `records_release_company_idx` ON `records` (`release`,`company_name`);--> statement-breakpoint
CREATE INDEX `records_user_id_idx` ON `records` (`user_id`);