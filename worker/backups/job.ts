// Backups of the three D1 databases to R2, built by Queue messages one bounded step at a time
// (docs/operations-backups.md). A step reads up to BACKUP_ROWS_PER_STEP rows, table after table in
// key order, into one gzip-compressed NDJSON file per table (a multipart upload, one part in
// memory) and then advances the backup's progress record in R2 with a conditional write. A file
// gets a key of its own on every attempt, and only the delivery whose write of the progress record
// succeeds counts its files, so a step delivered twice, at once or later, neither duplicates nor
// corrupts one; the files of a losing attempt are swept at the end. The manifest is written last:
// a backup without one is incomplete, and never restored.
import {
  BACKUP_BINDINGS,
  BACKUP_DATABASES,
  BACKUP_FORMAT,
  type BackupDatabaseName,
  type BackupFile,
  type BackupManifest,
  type BackupTable,
  type BackupView,
} from "../../schemas/backup";
import { PartWriter } from "../bundles/part-writer";
import { type BackupConfig, backupConfig } from "../config";
import { findAppliedMigrations, findSequences, listBackupTables, type PageCursor, readTablePage } from "../db/backup";
import { backupsToDelete, type StoredBackup } from "../domain/backup-retention";
import { backupIdOf, backupTimeOf } from "../domain/backup-values";
import { logStep } from "../observability/log";

export interface BackupMessage {
  kind: "backup";
  id: string;
  step: number;
}

export const isBackupMessage = (body: unknown): body is BackupMessage =>
  typeof body === "object" && body !== null && (body as { kind?: unknown }).kind === "backup";

interface Cursor {
  db: number;
  table: number;
  after: PageCursor;
  part: number;
}

interface DatabaseProgress {
  name: BackupDatabaseName;
  binding: string;
  migrations: string[];
  tables: BackupTable[];
  /** Read once its tables are done. */
  sequences: Record<string, string> | null;
}

/** A backup's progress record, `backups/<id>/state.json`. */
export interface BackupState {
  format: typeof BACKUP_FORMAT;
  id: string;
  trigger: "schedule" | "admin";
  status: "running" | "done" | "failed";
  error: string | null;
  step: number;
  startedAt: number;
  updatedAt: number;
  finishedAt: number | null;
  databases: DatabaseProgress[];
  /** The next rows to read; null once every table is read (the manifest is next). */
  cursor: Cursor | null;
}

/** What the job works with; tests replace parts of it. */
export interface BackupDeps {
  bucket: R2Bucket;
  queue: Queue<BackupMessage>;
  databases: Record<BackupDatabaseName, D1Database>;
  config: BackupConfig;
  now: () => number;
}

export const backupDeps = (env: Env): BackupDeps => ({
  bucket: env.BUNDLES,
  queue: env.BUNDLE_QUEUE as Queue<BackupMessage>,
  databases: { collector: env.COLLECTOR_DB, analytic: env.ANALYTIC_DB, contrib: env.CONTRIB_DB },
  config: backupConfig(env),
  now: Date.now,
});

/** Deliveries of one step before the backup is given up as failed. */
export const MAX_ATTEMPTS = 5;
/** Uncompressed NDJSON one step writes at most, whatever its row budget. */
export const STEP_BYTES = 256 * 1024 * 1024;
/** A running backup whose record has not moved for this long has lost its message: it is sent again. */
export const STALLED_MS = 15 * 60 * 1000;
/** A backup still running this long after it started is given up. */
export const GIVE_UP_MS = 24 * 60 * 60 * 1000;
/** R2 calls one retention pass may spend deleting; what is left is deleted by the next. */
export const DELETE_CALLS = 200;

export const BACKUP_PREFIX = "backups/";
export const backupPrefix = (id: string) => `${BACKUP_PREFIX}${id}/`;
export const manifestKey = (id: string) => `${backupPrefix(id)}manifest.json`;
export const stateKey = (id: string) => `${backupPrefix(id)}state.json`;
const fileKey = (id: string, db: string, table: string, part: number, attempt: string) =>
  `${backupPrefix(id)}${db}/${encodeURIComponent(table)}/${String(part).padStart(5, "0")}-${attempt}.ndjson.gz`;

const encoder = new TextEncoder();
const iso = (ms: number) => new Date(ms).toISOString();
const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

async function readState(bucket: R2Bucket, id: string): Promise<{ state: BackupState; etag: string } | null> {
  const object = await bucket.get(stateKey(id));
  if (!object) return null;
  return { state: await object.json<BackupState>(), etag: object.etag };
}

/** Writes the record; with an etag only over that version of it. False when another write came first. */
async function writeState(bucket: R2Bucket, state: BackupState, etag: string | null): Promise<boolean> {
  const written = await bucket.put(stateKey(state.id), JSON.stringify(state), {
    httpMetadata: { contentType: "application/json" },
    customMetadata: { status: state.status, updatedAt: String(state.updatedAt) },
    ...(etag === null ? {} : { onlyIf: { etagMatches: etag } }),
  });
  return written !== null;
}

/** The ids of every backup in the bucket, oldest first. */
export async function listBackupIds(bucket: R2Bucket): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: BACKUP_PREFIX, delimiter: "/", cursor });
    for (const prefix of page.delimitedPrefixes) {
      const id = prefix.slice(BACKUP_PREFIX.length, -1);
      if (backupTimeOf(id) !== null) ids.push(id);
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return ids.sort();
}

export class BackupConflictError extends Error {}

/**
 * Starts a backup: plans every table of the three databases, writes the progress record and sends
 * the first step. Throws BackupConflictError when a backup of that id exists.
 */
export async function startBackup(deps: BackupDeps, options: { id: string; trigger: BackupState["trigger"] }): Promise<BackupState> {
  const { bucket } = deps;
  if ((await bucket.head(stateKey(options.id))) || (await bucket.head(manifestKey(options.id)))) {
    throw new BackupConflictError(`backup ${options.id} exists already`);
  }
  const databases: DatabaseProgress[] = [];
  for (const name of BACKUP_DATABASES) {
    const db = deps.databases[name];
    const [tables, migrations] = await Promise.all([listBackupTables(db), findAppliedMigrations(db)]);
    databases.push({
      name,
      binding: BACKUP_BINDINGS[name],
      migrations,
      tables: tables.map((t) => ({ ...t, rows: 0, files: [] })),
      sequences: null,
    });
  }
  const now = deps.now();
  const state: BackupState = {
    format: BACKUP_FORMAT,
    id: options.id,
    trigger: options.trigger,
    status: "running",
    error: null,
    step: 0,
    startedAt: now,
    updatedAt: now,
    finishedAt: null,
    databases,
    cursor: { db: 0, table: 0, after: null, part: 0 },
  };
  await writeState(bucket, state, null);
  await deps.queue.send({ kind: "backup", id: state.id, step: 0 });
  return state;
}

export type BackupStepOutcome = "advanced" | "done" | "failed" | "skipped";

/** Runs one step of a backup. Throws if the step failed; the Queue then delivers it again. */
export async function runBackupStep(message: BackupMessage, deps: BackupDeps): Promise<BackupStepOutcome> {
  const loaded = await readState(deps.bucket, message.id);
  // Done by another delivery, given up, or never started.
  if (!loaded || loaded.state.status !== "running" || loaded.state.step !== message.step) return "skipped";
  const state = structuredClone(loaded.state);
  if (state.cursor === null) return finishBackup(state, loaded.etag, deps);

  let rowsLeft = deps.config.rowsPerStep;
  let bytesLeft = STEP_BYTES;
  while (state.cursor !== null && rowsLeft > 0 && bytesLeft > 0) {
    const cursor: Cursor = state.cursor;
    const database = state.databases[cursor.db]!;
    if (cursor.table >= database.tables.length) {
      // Read after the tables, so that no counter is below an id the files hold.
      database.sequences = await findSequences(deps.databases[database.name]);
      state.cursor = cursor.db + 1 < state.databases.length ? { db: cursor.db + 1, table: 0, after: null, part: 0 } : null;
      continue;
    }
    const table = database.tables[cursor.table]!;
    const written = await writeTableFile(deps, state.id, database.name, table, cursor, rowsLeft, bytesLeft);
    if (written.file) {
      table.files.push(written.file);
      table.rows += written.file.rows;
      rowsLeft -= written.file.rows;
      bytesLeft -= written.textBytes;
    }
    state.cursor = written.ended ? { db: cursor.db, table: cursor.table + 1, after: null, part: 0 } : { ...cursor, after: written.last, part: cursor.part + 1 };
  }
  state.step += 1;
  state.updatedAt = deps.now();
  // Another delivery of this step advanced the record first: its files count, these are swept at the end.
  if (!(await writeState(deps.bucket, state, loaded.etag))) return "skipped";
  await deps.queue.send({ kind: "backup", id: state.id, step: state.step });
  return "advanced";
}

/**
 * One table file: rows from the cursor on, page by page, through gzip into a multipart upload and
 * a SHA-256 of the compressed bytes, until the table ends or the step's budget is spent. No file
 * for a table (or the rest of one) that has no rows.
 */
async function writeTableFile(
  deps: BackupDeps,
  id: string,
  databaseName: BackupDatabaseName,
  table: BackupTable,
  cursor: Cursor,
  maxRows: number,
  maxBytes: number,
): Promise<{ file: BackupFile | null; ended: boolean; last: PageCursor; textBytes: number }> {
  const db = deps.databases[databaseName];
  const pageRows = deps.config.pageRows;
  let requested = Math.min(pageRows, maxRows);
  let page = await readTablePage(db, table, cursor.after, requested);
  if (page.rows.length === 0) return { file: null, ended: true, last: cursor.after, textBytes: 0 };

  const key = fileKey(id, databaseName, table.name, cursor.part, crypto.randomUUID().slice(0, 8));
  const writer = await PartWriter.start(deps.bucket, key, { httpMetadata: { contentType: "application/gzip" } });
  const gzip = new CompressionStream("gzip");
  const input = gzip.writable.getWriter();
  const digest = new crypto.DigestStream("SHA-256");
  const hashed = digest.getWriter();
  let rows = 0;
  let textBytes = 0;
  let last = cursor.after;
  let ended = false;

  const produce = async () => {
    for (;;) {
      const bytes = encoder.encode(`${page.rows.map((row) => JSON.stringify(row)).join("\n")}\n`);
      await input.write(bytes);
      textBytes += bytes.length;
      rows += page.rows.length;
      last = page.last;
      if (page.rows.length < requested) {
        ended = true;
        break;
      }
      if (rows >= maxRows || textBytes >= maxBytes) break;
      requested = Math.min(pageRows, maxRows - rows);
      page = await readTablePage(db, table, last, requested);
      if (page.rows.length === 0) {
        ended = true;
        break;
      }
    }
    await input.close();
  };
  const upload = async () => {
    for await (const chunk of gzip.readable) {
      await hashed.write(chunk);
      await writer.write(chunk);
    }
    await hashed.close();
  };
  try {
    await Promise.all([
      produce().catch(async (error) => {
        await input.abort(error).catch(() => undefined);
        throw error;
      }),
      upload(),
    ]);
    const stored = await writer.complete();
    return { file: { key, rows, bytes: stored.size, sha256: hex(await digest.digest) }, ended, last, textBytes };
  } catch (error) {
    await writer.abort().catch(() => undefined);
    throw error;
  }
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The manifest, from a record whose every table is read. */
export function manifestOf(state: BackupState, finishedAt: number): BackupManifest {
  return {
    format: BACKUP_FORMAT,
    id: state.id,
    trigger: state.trigger,
    started_at: iso(state.startedAt),
    finished_at: iso(finishedAt),
    databases: state.databases.map((d) => ({
      name: d.name,
      binding: d.binding,
      migrations: d.migrations,
      migration: d.migrations.at(-1) ?? null,
      tables: d.tables,
      sequences: d.sequences ?? {},
    })),
  };
}

/**
 * The last step: checks that no migration ran while the tables were read, writes the manifest,
 * sweeps the files of attempts that did not count, and applies the retention policy.
 */
async function finishBackup(state: BackupState, etag: string, deps: BackupDeps): Promise<BackupStepOutcome> {
  for (const database of state.databases) {
    const now = await findAppliedMigrations(deps.databases[database.name]);
    if (!sameList(now, database.migrations)) {
      state.status = "failed";
      state.error = `${database.name}: the migrations changed while it was read (${database.migrations.at(-1) ?? "none"} → ${now.at(-1) ?? "none"})`;
      state.updatedAt = deps.now();
      await writeState(deps.bucket, state, etag);
      return "failed";
    }
  }
  const finishedAt = deps.now();
  const manifest = manifestOf(state, finishedAt);
  await deps.bucket.put(manifestKey(state.id), JSON.stringify(manifest), {
    httpMetadata: { contentType: "application/json" },
    // For retention, which reads heads only.
    customMetadata: { trigger: manifest.trigger },
  });
  state.status = "done";
  state.step += 1;
  state.finishedAt = finishedAt;
  state.updatedAt = finishedAt;
  if (!(await writeState(deps.bucket, state, etag))) return "skipped";
  await sweepUncounted(deps.bucket, manifest);
  await applyRetention(deps, state.id);
  return "done";
}

/** Deletes the files under a complete backup's prefix that its manifest does not name. */
async function sweepUncounted(bucket: R2Bucket, manifest: BackupManifest): Promise<number> {
  const named = new Set([manifestKey(manifest.id), stateKey(manifest.id)]);
  for (const database of manifest.databases) for (const table of database.tables) for (const file of table.files) named.add(file.key);
  let swept = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: backupPrefix(manifest.id), cursor });
    const extra = page.objects.map((o) => o.key).filter((key) => !named.has(key));
    if (extra.length > 0) await bucket.delete(extra);
    swept += extra.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return swept;
}

/** Each backup in the bucket: complete or not, and what its progress record says. */
async function listStoredBackups(bucket: R2Bucket): Promise<StoredBackup[]> {
  const stored: StoredBackup[] = [];
  for (const id of await listBackupIds(bucket)) {
    const [manifest, state] = await Promise.all([bucket.head(manifestKey(id)), bucket.head(stateKey(id))]);
    const status = state?.customMetadata?.status;
    const trigger = manifest?.customMetadata?.trigger;
    stored.push({
      id,
      complete: manifest !== null,
      trigger: trigger === "schedule" || trigger === "admin" ? trigger : null,
      status: status === "running" || status === "done" || status === "failed" ? status : null,
      updatedAt: state?.customMetadata?.updatedAt ? Number(state.customMetadata.updatedAt) : null,
    });
  }
  return stored;
}

/**
 * Deletes the backups the policy does not keep, and incomplete ones not being written. A backup's
 * manifest goes first, so a backup half deleted is incomplete (never restored) and the next pass
 * finishes it; its progress record, whose key sorts last, goes last.
 */
export async function applyRetention(deps: BackupDeps, finished: string | null = null): Promise<{ deleted: string[]; unfinished: string[] }> {
  const policy = { daily: deps.config.keepDaily, monthly: deps.config.keepMonthly };
  // The backup just finished stays, whatever its id says (an admin's is dated now anyway).
  const doomed = backupsToDelete(await listStoredBackups(deps.bucket), policy, deps.now(), GIVE_UP_MS).filter((id) => id !== finished);
  let calls = 0;
  const deleted: string[] = [];
  const unfinished: string[] = [];
  for (const id of doomed) {
    if (calls >= DELETE_CALLS) {
      unfinished.push(id);
      continue;
    }
    await deps.bucket.delete(manifestKey(id));
    calls++;
    let cursor: string | undefined;
    let done = true;
    do {
      if (calls >= DELETE_CALLS) {
        done = false;
        break;
      }
      const page = await deps.bucket.list({ prefix: backupPrefix(id), cursor });
      calls++;
      if (page.objects.length > 0) {
        await deps.bucket.delete(page.objects.map((o) => o.key));
        calls++;
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    (done ? deleted : unfinished).push(id);
  }
  return { deleted, unfinished };
}

/** Gives a backup up (its step failed every delivery): it stays incomplete until retention deletes it. */
export async function markBackupFailed(deps: BackupDeps, id: string, error: string): Promise<void> {
  const loaded = await readState(deps.bucket, id);
  if (!loaded || loaded.state.status !== "running") return;
  const state = { ...loaded.state, status: "failed" as const, error, updatedAt: deps.now() };
  await writeState(deps.bucket, state, loaded.etag);
}

/** The Queue consumer's part for backup steps: each message is one step; a failed step is retried with back-off. */
export async function consumeBackupMessages(messages: readonly Message<BackupMessage>[], deps: BackupDeps): Promise<void> {
  for (const message of messages) {
    try {
      const outcome = await logStep(
        { trigger: "queue", job: "backup", step: String(message.body.step), target: message.body.id, attempt: message.attempts },
        () => runBackupStep(message.body, deps),
        (outcome) => ({ outcome }),
        message.attempts >= MAX_ATTEMPTS ? "given_up" : "retry",
      );
      if (outcome === "failed") console.error("backup failed", message.body.id);
      message.ack();
    } catch (error) {
      console.error("backup step failed", message.body, `attempt ${message.attempts}`, error);
      if (message.attempts >= MAX_ATTEMPTS) {
        await markBackupFailed(deps, message.body.id, `step ${message.body.step} failed ${message.attempts} times: ${String(error)}`);
        message.ack();
      } else {
        message.retry({ delaySeconds: 10 * 2 ** (message.attempts - 1) });
      }
    }
  }
}

/** The day's scheduled backup: its id names the configured hour of the day of `time`. */
export function scheduledBackupId(time: number, hourUtc: number): string | null {
  const due = Math.floor(time / 86_400_000) * 86_400_000 + hourUtc * 3_600_000;
  return time >= due ? backupIdOf(due) : null;
}

/**
 * Hourly: sends again the step of a backup whose record has not moved for a while (a message lost
 * between the record's write and the next send), gives up one running for a day, and from the
 * configured hour on starts the day's backup unless it exists or another is running.
 */
export async function runBackupSchedule(deps: BackupDeps, scheduledTime: number) {
  const now = deps.now();
  let resent = 0;
  let failed = 0;
  let running: string | null = null;
  const ids = await listBackupIds(deps.bucket);
  const recent = ids.filter((id) => backupTimeOf(id)! > now - 2 * GIVE_UP_MS);
  for (const id of recent) {
    const loaded = await readState(deps.bucket, id);
    if (!loaded || loaded.state.status !== "running") continue;
    const { state, etag } = loaded;
    if (state.startedAt < now - GIVE_UP_MS) {
      if (await writeState(deps.bucket, { ...state, status: "failed", error: "not finished within a day", updatedAt: now }, etag)) failed++;
      continue;
    }
    running = id;
    if (state.updatedAt < now - STALLED_MS && (await writeState(deps.bucket, { ...state, updatedAt: now }, etag))) {
      await deps.queue.send({ kind: "backup", id, step: state.step });
      resent++;
    }
  }
  let started: string | null = null;
  const id = deps.config.hourUtc === null ? null : scheduledBackupId(scheduledTime, deps.config.hourUtc);
  if (id !== null && running === null && !ids.includes(id)) {
    started = (await startBackup(deps, { id, trigger: "schedule" })).id;
  }
  return { started, running, resent, failed };
}

/** What the admin API shows of a backup. */
function viewOf(id: string, manifest: BackupManifest | null, state: BackupState | null): BackupView {
  const databases = (manifest?.databases ?? state?.databases ?? []).map((d) => ({
    name: d.name,
    migration: d.migrations.at(-1) ?? null,
    tables: d.tables.length,
    rows: d.tables.reduce((t, x) => t + x.rows, 0),
    bytes: d.tables.reduce((t, x) => t + x.files.reduce((s, f) => s + f.bytes, 0), 0),
  }));
  const status = manifest ? "complete" : state?.status === "running" || state?.status === "failed" ? state.status : "incomplete";
  return {
    id,
    status,
    trigger: manifest?.trigger ?? state?.trigger ?? null,
    started_at: manifest?.started_at ?? iso(state?.startedAt ?? backupTimeOf(id)!),
    finished_at: manifest?.finished_at ?? null,
    databases,
    error: manifest ? null : (state?.error ?? null),
  };
}

/** One backup as the admin API shows it, or null. */
export async function describeBackup(bucket: R2Bucket, id: string): Promise<BackupView | null> {
  if (backupTimeOf(id) === null) return null;
  const [manifest, state] = await Promise.all([bucket.get(manifestKey(id)), bucket.get(stateKey(id))]);
  if (!manifest && !state) return null;
  return viewOf(id, manifest ? await manifest.json<BackupManifest>() : null, state ? await state.json<BackupState>() : null);
}

/** Every backup, newest first. */
export async function listBackups(bucket: R2Bucket): Promise<BackupView[]> {
  const views: BackupView[] = [];
  for (const id of (await listBackupIds(bucket)).reverse()) {
    const view = await describeBackup(bucket, id);
    if (view) views.push(view);
  }
  return views;
}

/** An admin's backup, now: refused while another is running. */
export async function startBackupNow(deps: BackupDeps): Promise<BackupState> {
  const now = deps.now();
  for (const id of await listBackupIds(deps.bucket)) {
    if (backupTimeOf(id)! <= now - 2 * GIVE_UP_MS) continue;
    const state = await deps.bucket.head(stateKey(id));
    if (state?.customMetadata?.status === "running") throw new BackupConflictError(`backup ${id} is running`);
  }
  return startBackup(deps, { id: backupIdOf(now), trigger: "admin" });
}
