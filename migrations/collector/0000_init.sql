CREATE TABLE `action_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`master_node_uid` text NOT NULL,
	`external_id` integer NOT NULL,
	`body` text NOT NULL,
	`action_type` text,
	`action_name` text,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `action_logs_master_node_uid_external_id_unique` ON `action_logs` (`master_node_uid`,`external_id`);--> statement-breakpoint
CREATE INDEX `action_logs_action_type_action_name_idx` ON `action_logs` (`action_type`,`action_name`);--> statement-breakpoint
CREATE TABLE `installation_structures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`master_node_uid` text NOT NULL,
	`structure` text NOT NULL,
	`creation_date` text NOT NULL,
	`modification_date` text,
	`is_filtered` integer,
	`release` text,
	`country` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `installation_structures_master_node_uid_unique` ON `installation_structures` (`master_node_uid`);--> statement-breakpoint
CREATE INDEX `installation_structures_release_idx` ON `installation_structures` (`release`);--> statement-breakpoint
CREATE INDEX `installation_structures_is_filtered_idx` ON `installation_structures` (`is_filtered`);--> statement-breakpoint
CREATE INDEX `installation_structures_updated_at_idx` ON `installation_structures` (`updated_at`);--> statement-breakpoint
CREATE TABLE `oswl_stats` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`master_node_uid` text NOT NULL,
	`external_id` integer NOT NULL,
	`cluster_id` integer NOT NULL,
	`created_date` text NOT NULL,
	`updated_time` text NOT NULL,
	`resource_type` text NOT NULL,
	`resource_data` text NOT NULL,
	`resource_checksum` text NOT NULL,
	`version_info` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oswl_stats_master_node_uid_external_id_resource_type_unique` ON `oswl_stats` (`master_node_uid`,`external_id`,`resource_type`);--> statement-breakpoint
CREATE INDEX `oswl_stats_created_date_idx` ON `oswl_stats` (`created_date`);--> statement-breakpoint
CREATE INDEX `oswl_stats_resource_type_idx` ON `oswl_stats` (`resource_type`);--> statement-breakpoint
CREATE INDEX `oswl_stats_updated_at_idx` ON `oswl_stats` (`updated_at`);