-- Indexes no query reads, each one more D1 row written per write of its table: installations by
-- release (reports read the roll-up), OSWL rows by resource type alone (the (resource_type,
-- created_date) index serves those lookups) and by updated_at (read only per installation).
DROP INDEX `installation_structures_release_idx`;--> statement-breakpoint
DROP INDEX `oswl_stats_resource_type_idx`;--> statement-breakpoint
DROP INDEX `oswl_stats_updated_at_idx`;