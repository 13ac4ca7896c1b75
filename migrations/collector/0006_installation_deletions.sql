CREATE TABLE `installation_deletions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`master_node_uid` text NOT NULL,
	`structure_id` integer NOT NULL,
	`deleted_at` integer NOT NULL
);
