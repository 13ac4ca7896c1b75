CREATE TABLE `commit_releases` (
	`commit_id` text PRIMARY KEY NOT NULL,
	`release` text NOT NULL,
	`source_id` text NOT NULL
);
