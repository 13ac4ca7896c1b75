// COLLECTOR_DB: the raw rows the collector acknowledged. Generate migrations with `npm run db:generate`.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** verified (token-bound sender) | unverified (legacy sender) | quarantined (kept out of reports). */
const trust = () => text("trust").notNull().default("unverified");

export const installationStructures = sqliteTable(
  "installation_structures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    masterNodeUid: text("master_node_uid").notNull(),
    /** The whole posted `installation_structure`, as JSON text. */
    structure: text("structure").notNull(),
    /** ISO 8601, UTC. */
    creationDate: text("creation_date").notNull(),
    /** ISO 8601, UTC; null until the first update, as in fuel-stats. */
    modificationDate: text("modification_date"),
    /** Null means "not classified yet"; reports treat it as not filtered. */
    isFiltered: integer("is_filtered", { mode: "boolean" }),
    release: text("release"),
    /** Coarse country code of the last write (request.cf.country), never the address. */
    country: text("country"),
    /** Epoch milliseconds of the last write: the cursor of incremental roll-ups. */
    updatedAt: integer("updated_at").notNull(),
    trust: trust(),
  },
  (t) => [
    uniqueIndex("installation_structures_master_node_uid_unique").on(t.masterNodeUid),
    // No index on release: no query looks installations up by it (reports read the roll-up).
    index("installation_structures_is_filtered_idx").on(t.isFiltered),
    index("installation_structures_updated_at_idx").on(t.updatedAt),
  ],
);

export const actionLogs = sqliteTable(
  "action_logs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    masterNodeUid: text("master_node_uid").notNull(),
    externalId: integer("external_id").notNull(),
    body: text("body").notNull(),
    actionType: text("action_type"),
    actionName: text("action_name"),
    /** Epoch milliseconds when the collector stored it. */
    receivedAt: integer("received_at").notNull(),
    trust: trust(),
  },
  (t) => [
    uniqueIndex("action_logs_master_node_uid_external_id_unique").on(t.masterNodeUid, t.externalId),
    // Only the CSV export's verify_networks statuses (worker/db/csv.ts) look logs up by their kind, and
    // only those: a partial index holds just those tasks, so the other logs cost no index row.
    index("action_logs_verify_networks_idx")
      .on(t.masterNodeUid, t.externalId)
      .where(sql`action_type = 'nailgun_task' AND action_name = 'verify_networks'`),
    // No index on received_at: ids grow with it, so retention finds old logs by id (worker/db/retention.ts).
  ],
);

export const oswlStats = sqliteTable(
  "oswl_stats",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    masterNodeUid: text("master_node_uid").notNull(),
    externalId: integer("external_id").notNull(),
    clusterId: integer("cluster_id").notNull(),
    createdDate: text("created_date").notNull(),
    updatedTime: text("updated_time").notNull(),
    resourceType: text("resource_type").notNull(),
    resourceData: text("resource_data").notNull(),
    resourceChecksum: text("resource_checksum").notNull(),
    versionInfo: text("version_info"),
    updatedAt: integer("updated_at").notNull(),
    trust: trust(),
  },
  (t) => [
    uniqueIndex("oswl_stats_master_node_uid_external_id_resource_type_unique").on(
      t.masterNodeUid,
      t.externalId,
      t.resourceType,
    ),
    index("oswl_stats_created_date_idx").on(t.createdDate),
    // The CSV exports page one resource type in (created_date, id) order.
    index("oswl_stats_resource_type_created_date_idx").on(t.resourceType, t.createdDate),
    // None on resource_type alone (the one above starts with it) or on updated_at (no query reads
    // it but by installation, through the unique index): each index is a D1 row written per write.
  ],
);

/** Data-quality counters: per UTC day, endpoint and outcome, a count of records or requests. */
export const collectorOutcomes = sqliteTable(
  "collector_outcomes",
  {
    day: text("day").notNull(),
    endpoint: text("endpoint").notNull(),
    outcome: text("outcome").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.endpoint, t.outcome] })],
);

/**
 * Every release an installation reported, in the order reported: a row for its first structure
 * and one for each change of release, so an upgrade and its revert within a day are both kept.
 * Written by triggers on installation_structures (migration 0005), so that no change is lost
 * between two roll-ups; the roll-up turns it into version adoption and upgrade transitions.
 */
export const installationReleaseDays = sqliteTable(
  "installation_release_days",
  {
    /** The order of the changes within a day. */
    id: integer("id").primaryKey({ autoIncrement: true }),
    masterNodeUid: text("master_node_uid").notNull(),
    /** YYYY-MM-DD, UTC. */
    day: text("day").notNull(),
    release: text("release"),
  },
  (t) => [index("installation_release_days_uid_day_idx").on(t.masterNodeUid, t.day, t.id)],
);

/**
 * Installations deleted on request (DELETE /api/v1/installation, or the admin API) whose roll-up
 * contribution is still to be taken out: the next roll-up subtracts what it last counted for them
 * and drops the row. Written in the same transaction as the deletion of the structure.
 */
export const installationDeletions = sqliteTable("installation_deletions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  masterNodeUid: text("master_node_uid").notNull(),
  /** installation_structures.id of the deleted row: a later first contact gets a larger one. */
  structureId: integer("structure_id").notNull(),
  /** Epoch milliseconds. */
  deletedAt: integer("deleted_at").notNull(),
});
