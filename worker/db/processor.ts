// Query functions over the processor's state in CONTRIB_DB: the sources it follows with their
// cursors, the claims that make a step commit once, and Launchpad's answers about people.
import { chunkJson } from "./chunk";
import { stampDataUpdated } from "./contrib";

export type SourceStatus = "idle" | "queued" | "running" | "failed" | "retired";

export interface ProcessorSource {
  id: string;
  kind: string;
  target: unknown;
  cursor: unknown;
  version: number;
  status: SourceStatus;
  failures: number;
  lastError: string | null;
  queuedAt: number | null;
  lastRunAt: number | null;
  lastSuccessAt: number | null;
  nextRunAt: number;
  recordsStored: number;
  steps: number;
}

type SourceRow = {
  id: string;
  kind: string;
  target: string;
  cursor: string | null;
  version: number;
  status: SourceStatus;
  failures: number;
  last_error: string | null;
  queued_at: number | null;
  last_run_at: number | null;
  last_success_at: number | null;
  next_run_at: number;
  records_stored: number;
  steps: number;
};

const toSource = (r: SourceRow): ProcessorSource => ({
  id: r.id,
  kind: r.kind,
  target: JSON.parse(r.target),
  cursor: r.cursor === null ? null : JSON.parse(r.cursor),
  version: r.version,
  status: r.status,
  failures: r.failures,
  lastError: r.last_error,
  queuedAt: r.queued_at,
  lastRunAt: r.last_run_at,
  lastSuccessAt: r.last_success_at,
  nextRunAt: r.next_run_at,
  recordsStored: r.records_stored,
  steps: r.steps,
});

const COLUMNS = "id, kind, target, cursor, version, status, failures, last_error, queued_at, last_run_at, last_success_at, next_run_at, records_stored, steps";

export async function findProcessorSource(db: D1Database, id: string): Promise<ProcessorSource | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM processor_sources WHERE id = ?`).bind(id).first<SourceRow>();
  return row ? toSource(row) : null;
}

export async function listProcessorSources(db: D1Database, filter: { kind?: string; status?: SourceStatus } = {}): Promise<ProcessorSource[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM processor_sources WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR status = ?2) ORDER BY id`)
    .bind(filter.kind ?? null, filter.status ?? null)
    .all<SourceRow>();
  return results.map(toSource);
}

/** The cursors of the sources of a kind that are followed (discovery's findings live there). */
export async function listCursors(db: D1Database, kind: string): Promise<Map<string, unknown>> {
  const { results } = await db
    .prepare("SELECT id, cursor FROM processor_sources WHERE kind = ? AND status <> 'retired' AND cursor IS NOT NULL")
    .bind(kind)
    .all<{ id: string; cursor: string }>();
  return new Map(results.map((r) => [r.id, JSON.parse(r.cursor)]));
}

/**
 * Makes the followed sources those given: new ones are added to run at once, known ones take the
 * target given (their cursor stays), retired ones that are back become idle, and those no longer
 * given are retired (kept, with their cursor, should they come back).
 */
export async function syncProcessorSources(
  db: D1Database,
  specs: readonly { id: string; kind: string; target: unknown }[],
  now: number,
): Promise<{ added: number; retired: number }> {
  const rows = specs.map((s) => ({ id: s.id, kind: s.kind, target: JSON.stringify(s.target) }));
  const statements = chunkJson(rows, 200, 256 * 1024).map((json) =>
    db
      .prepare(
        `INSERT INTO processor_sources (id, kind, target, cursor, version, status, failures, next_run_at, records_stored, steps, updated_at)
         SELECT j.value ->> '$.id', j.value ->> '$.kind', j.value ->> '$.target', NULL, 0, 'idle', 0, ?2, 0, 0, ?2 FROM json_each(?1) AS j WHERE true
         ON CONFLICT (id) DO UPDATE SET target = excluded.target, updated_at = excluded.updated_at,
           status = CASE WHEN status = 'retired' THEN 'idle' ELSE status END
         WHERE target <> excluded.target OR status = 'retired'`,
      )
      .bind(json, now),
  );
  const before = await db.prepare("SELECT count(*) AS n FROM processor_sources").first<{ n: number }>();
  const retire = db
    .prepare(
      `UPDATE processor_sources SET status = 'retired', updated_at = ?2
       WHERE status <> 'retired' AND id NOT IN (SELECT j.value FROM json_each(?1) AS j)`,
    )
    .bind(JSON.stringify(specs.map((s) => s.id)), now);
  const results = await db.batch([...statements, retire]);
  const after = await db.prepare("SELECT count(*) AS n FROM processor_sources").first<{ n: number }>();
  return { added: after!.n - before!.n, retired: results.at(-1)!.meta.changes };
}

/**
 * Sources to run now: idle or failed ones that are due, and queued or running ones whose step has
 * not moved since `lostBefore` (its message was lost or its invocation cut off).
 */
export async function listDueSources(db: D1Database, now: number, lostBefore: number, limit: number): Promise<ProcessorSource[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM processor_sources
       WHERE (status IN ('idle', 'failed') AND next_run_at <= ?1) OR (status IN ('queued', 'running') AND coalesce(queued_at, 0) < ?2)
       ORDER BY next_run_at LIMIT ?3`,
    )
    .bind(now, lostBefore, limit)
    .all<SourceRow>();
  return results.map(toSource);
}

export async function markSourcesQueued(db: D1Database, ids: readonly string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .prepare("UPDATE processor_sources SET status = 'queued', queued_at = ?2, updated_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(ids), now)
    .run();
}

/** Marks a step as started, unless another delivery moved the source on. */
export async function markSourceRunning(db: D1Database, id: string, version: number, now: number): Promise<boolean> {
  const result = await db
    .prepare("UPDATE processor_sources SET status = 'running', last_run_at = ?3, queued_at = ?3, updated_at = ?3 WHERE id = ?1 AND version = ?2 AND status <> 'retired'")
    .bind(id, version, now)
    .run();
  return result.meta.changes > 0;
}

export interface StepCommit {
  id: string;
  /** The version the step started from; it commits as version + 1. */
  version: number;
  cursor: unknown;
  done: boolean;
  now: number;
  /** When the source is next due, if the step finished it. */
  nextRunAt: number;
}

export const isClaimConflict = (error: unknown) => /UNIQUE constraint failed: processor_claims/.test(String(error));

/**
 * Statements that commit a step with the records it stored: the claim of the next version (a
 * second delivery conflicts here), the cursor, the source's state, and the time the data was
 * last known current (a step that found nothing new still counts). Old claims are dropped.
 */
export function stepCommitWrites(db: D1Database, step: StepCommit): D1PreparedStatement[] {
  const next = step.version + 1;
  return [
    db.prepare("INSERT INTO processor_claims (source_id, version, claimed_at) VALUES (?, ?, ?)").bind(step.id, next, step.now),
    db
      .prepare(
        `UPDATE processor_sources SET cursor = ?3, version = ?2, steps = steps + 1, failures = 0, last_error = NULL, updated_at = ?4,
           status = CASE WHEN ?5 THEN 'idle' ELSE 'queued' END,
           queued_at = ?4,
           last_success_at = CASE WHEN ?5 THEN ?4 ELSE last_success_at END,
           next_run_at = CASE WHEN ?5 THEN ?6 ELSE next_run_at END
         WHERE id = ?1 AND version = ?2 - 1`,
      )
      .bind(step.id, next, JSON.stringify(step.cursor), step.now, step.done ? 1 : 0, step.nextRunAt),
    db.prepare("DELETE FROM processor_claims WHERE source_id = ? AND version < ?").bind(step.id, next - 20),
    stampDataUpdated(db, step.now),
  ];
}

/**
 * A step failed: the error is kept; `failed` ends the run (it is due again at `nextRunAt`), else
 * the source waits, queued, for the step's next delivery.
 */
export async function recordSourceFailure(
  db: D1Database,
  failure: { id: string; version: number; error: string; failed: boolean; now: number; nextRunAt: number },
): Promise<void> {
  await db
    .prepare(
      `UPDATE processor_sources SET last_error = ?3, updated_at = ?4,
         status = CASE WHEN ?5 THEN 'failed' ELSE 'queued' END,
         failures = failures + CASE WHEN ?5 THEN 1 ELSE 0 END,
         next_run_at = CASE WHEN ?5 THEN ?6 ELSE next_run_at END
       WHERE id = ?1 AND version = ?2`,
    )
    .bind(failure.id, failure.version, failure.error.slice(0, 2000), failure.now, failure.failed ? 1 : 0, failure.nextRunAt)
    .run();
}

/** Forces sources to be due now (an operator's run). */
export async function makeSourcesDue(db: D1Database, ids: readonly string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .prepare(
      `UPDATE processor_sources SET next_run_at = ?2, status = CASE WHEN status = 'failed' THEN 'idle' ELSE status END, updated_at = ?2
       WHERE id IN (SELECT value FROM json_each(?1)) AND status IN ('idle', 'failed')`,
    )
    .bind(JSON.stringify(ids), now)
    .run();
}

export interface LaunchpadPerson {
  launchpadId: string | null;
  displayName: string | null;
}

/** Launchpad's stored answers for some keys (`email:…`, `id:…`). */
export async function listLaunchpadPeople(db: D1Database, keys: readonly string[]): Promise<Map<string, LaunchpadPerson>> {
  if (keys.length === 0) return new Map();
  const results = await db.batch<{ key: string; launchpad_id: string | null; display_name: string | null }>(
    chunkJson([...new Set(keys)], 1000, 256 * 1024).map((json) =>
      db.prepare("SELECT key, launchpad_id, display_name FROM launchpad_people WHERE key IN (SELECT value FROM json_each(?1))").bind(json),
    ),
  );
  return new Map(results.flatMap((r) => r.results).map((r) => [r.key, { launchpadId: r.launchpad_id, displayName: r.display_name }]));
}

export async function storeLaunchpadPeople(db: D1Database, people: ReadonlyMap<string, LaunchpadPerson>, now: number): Promise<void> {
  const rows = [...people].map(([key, p]) => ({ key, launchpad_id: p.launchpadId, display_name: p.displayName }));
  const statements = chunkJson(rows, 500, 256 * 1024).map((json) =>
    db
      .prepare(
        `INSERT INTO launchpad_people (key, launchpad_id, display_name, fetched_at)
         SELECT j.value ->> '$.key', j.value ->> '$.launchpad_id', j.value ->> '$.display_name', ?2 FROM json_each(?1) AS j WHERE true
         ON CONFLICT (key) DO UPDATE SET launchpad_id = excluded.launchpad_id, display_name = excluded.display_name, fetched_at = excluded.fetched_at`,
      )
      .bind(json, now),
  );
  if (statements.length > 0) await db.batch(statements);
}

/** Which of some profile keys lead to a profile from the config or one that knows its Launchpad id (nobody to ask about). */
export async function listSettledKeys(db: D1Database, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const results = await db.batch<{ key: string }>(
    chunkJson([...new Set(keys)], 1000, 256 * 1024).map((json) =>
      db
        .prepare(
          `SELECT k.key FROM profile_keys AS k JOIN profiles AS p ON p.seq = k.seq
           WHERE k.key IN (SELECT value FROM json_each(?1)) AND (p.static = 1 OR p.launchpad_id IS NOT NULL)`,
        )
        .bind(json),
    ),
  );
  return new Set(results.flatMap((r) => r.results.map((r) => r.key)));
}

export interface StepLog {
  sourceId: string;
  version: number;
  startedAt: number;
  ms: number;
  requests: number;
  queries: number;
  fetched: number;
  stored: number;
  rowsRead: number;
  rowsWritten: number;
}

/** Logs a committed step and adds the records it stored to its source's count. */
export async function insertStepLog(db: D1Database, step: StepLog): Promise<void> {
  await db.batch([
    db
      .prepare(
        `INSERT INTO processor_steps (source_id, version, started_at, ms, requests, queries, fetched, stored, rows_read, rows_written)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .bind(step.sourceId, step.version, step.startedAt, step.ms, step.requests, step.queries, step.fetched, step.stored, step.rowsRead, step.rowsWritten),
    db.prepare("UPDATE processor_sources SET records_stored = records_stored + ? WHERE id = ?").bind(step.stored, step.sourceId),
  ]);
}

/** Drops the step log older than `before` (epoch ms). */
export async function pruneStepLog(db: D1Database, before: number): Promise<number> {
  return (await db.prepare("DELETE FROM processor_steps WHERE started_at < ?").bind(before).run()).meta.changes;
}

/** The newest step of each source. */
export async function listLastSteps(db: D1Database): Promise<Map<string, StepLog>> {
  const { results } = await db
    .prepare(
      `SELECT s.* FROM processor_steps AS s
       JOIN (SELECT source_id, max(version) AS version FROM processor_steps GROUP BY source_id) AS m USING (source_id, version)`,
    )
    .all<{ source_id: string; version: number; started_at: number; ms: number; requests: number; queries: number; fetched: number; stored: number; rows_read: number; rows_written: number }>();
  return new Map(
    results.map((r) => [
      r.source_id,
      { sourceId: r.source_id, version: r.version, startedAt: r.started_at, ms: r.ms, requests: r.requests, queries: r.queries, fetched: r.fetched, stored: r.stored, rowsRead: r.rows_read, rowsWritten: r.rows_written },
    ]),
  );
}
