CREATE TABLE `adoption_changes` (
	`day` text NOT NULL,
	`release` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`release`, `day`)
);
--> statement-breakpoint
CREATE INDEX `adoption_changes_day_idx` ON `adoption_changes` (`day`);--> statement-breakpoint
CREATE TABLE `release_transitions` (
	`day` text NOT NULL,
	`from_release` text NOT NULL,
	`to_release` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`day`, `from_release`, `to_release`)
);
--> statement-breakpoint
CREATE TABLE `report_counts` (
	`scope` text NOT NULL,
	`metric` text NOT NULL,
	`key` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`scope`, `metric`, `key`)
);
--> statement-breakpoint
CREATE TABLE `rollup_cursors` (
	`job` text NOT NULL,
	`version` integer NOT NULL,
	`cursor_at` integer NOT NULL,
	`cursor_id` integer NOT NULL,
	`rules_epoch` text NOT NULL,
	`committed_at` integer NOT NULL,
	PRIMARY KEY(`job`, `version`)
);
--> statement-breakpoint
CREATE TABLE `rollup_installations` (
	`master_node_uid` text PRIMARY KEY NOT NULL,
	`release` text,
	`counted` integer NOT NULL,
	`is_filtered` integer NOT NULL,
	`trust` text NOT NULL,
	`summary` text NOT NULL,
	`source_updated_at` integer NOT NULL,
	`rolled_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rollup_installations_release_idx` ON `rollup_installations` (`release`);