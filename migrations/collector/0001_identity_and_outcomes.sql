CREATE TABLE `collector_outcomes` (
	`day` text NOT NULL,
	`endpoint` text NOT NULL,
	`outcome` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`day`, `endpoint`, `outcome`)
);
--> statement-breakpoint
ALTER TABLE `action_logs` ADD `trust` text DEFAULT 'unverified' NOT NULL;--> statement-breakpoint
ALTER TABLE `installation_structures` ADD `trust` text DEFAULT 'unverified' NOT NULL;--> statement-breakpoint
ALTER TABLE `oswl_stats` ADD `trust` text DEFAULT 'unverified' NOT NULL;