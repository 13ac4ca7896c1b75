CREATE TABLE `installation_release_days` (
	`master_node_uid` text NOT NULL,
	`day` text NOT NULL,
	`release` text,
	PRIMARY KEY(`master_node_uid`, `day`)
);
