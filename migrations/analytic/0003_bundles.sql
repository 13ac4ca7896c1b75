CREATE TABLE `bundles` (
	`id` text PRIMARY KEY NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`status` text NOT NULL,
	`reports` text NOT NULL,
	`step` integer NOT NULL,
	`size` integer,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `bundles_range_idx` ON `bundles` (`from_date`,`to_date`,`created_at`);--> statement-breakpoint
CREATE INDEX `bundles_expires_at_idx` ON `bundles` (`expires_at`);