// The processor's admin API (admin secret): every source it follows with its cursor, last run,
// records stored, next run and last error; and a run now, of everything or of a selection.
import { Hono } from "hono";
import { ProcessorRunRequestSchema, ProcessorStatusQuerySchema, type ProcessorStatus } from "../../schemas/contrib/processor";
import { type ProcessorSource, type StepLog, listLastSteps, listProcessorSources } from "../db/processor";
import { requireAdmin } from "../http/admin-auth";
import type { AppEnv } from "../http/app-env";
import { parseJsonBody } from "../http/body";
import { apiError } from "../http/errors";
import { parseQuery } from "../http/query";
import { runProcessorNow } from "../processor/plan";

export const processorAdmin = new Hono<AppEnv>();

processorAdmin.use("*", requireAdmin);

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const moduleOf = (s: ProcessorSource) => {
  const target = s.target as { module?: string; project?: string; organization?: string };
  return target.module ?? target.project ?? target.organization;
};

const stepToWire = (step: StepLog | undefined) =>
  step
    ? {
        started_at: new Date(step.startedAt).toISOString(),
        ms: step.ms,
        requests: step.requests,
        queries: step.queries,
        fetched: step.fetched,
        stored: step.stored,
        rows_read: step.rowsRead,
        rows_written: step.rowsWritten,
      }
    : null;

const toWire = (s: ProcessorSource, step: StepLog | undefined): ProcessorStatus["sources"][number] => ({
  id: s.id,
  kind: s.kind as ProcessorStatus["sources"][number]["kind"],
  target: s.target as Record<string, unknown>,
  status: s.status,
  cursor: s.cursor,
  steps: s.steps,
  records_stored: s.recordsStored,
  last_run_at: iso(s.lastRunAt),
  last_success_at: iso(s.lastSuccessAt),
  next_run_at: new Date(s.nextRunAt).toISOString(),
  failures: s.failures,
  last_error: s.lastError,
  last_step: stepToWire(step),
});

processorAdmin.get("/", async (c) => {
  const query = parseQuery(c, ProcessorStatusQuerySchema);
  const sources = (await listProcessorSources(c.env.CONTRIB_DB, query)).filter((s) => !query.module || moduleOf(s) === query.module);
  const summary: Record<string, number> = {};
  for (const s of sources) summary[s.status] = (summary[s.status] ?? 0) + 1;
  const steps = await listLastSteps(c.env.CONTRIB_DB);
  return c.json({ status: "ok", summary, sources: sources.map((s) => toWire(s, steps.get(s.id))) } satisfies ProcessorStatus);
});

processorAdmin.post("/run", async (c) => {
  const hasBody = (c.req.header("content-length") ?? "0") !== "0" || c.req.header("transfer-encoding") !== undefined;
  const selection = hasBody ? await parseJsonBody(c.req.raw, ProcessorRunRequestSchema, 64 * 1024) : {};
  const result = await runProcessorNow(c.env, selection, Date.now());
  if (result.note) throw apiError(409, `${result.note}: PUT /api/1.0/admin/default-data first`);
  if (result.selected.length === 0) throw apiError(404, `no followed source matches ${JSON.stringify(selection)}`);
  return c.json({ status: "ok", ...result });
});
