-- The CSV export looks action logs up by kind only for verify_networks tasks (worker/db/csv.ts): a
-- partial index on just those replaces the index on every log's (action_type, action_name), one
-- D1 row written less per stored action log.
DROP INDEX `action_logs_action_type_action_name_idx`;--> statement-breakpoint
CREATE INDEX `action_logs_verify_networks_idx` ON `action_logs` (`master_node_uid`,`external_id`) WHERE action_type = 'nailgun_task' AND action_name = 'verify_networks';