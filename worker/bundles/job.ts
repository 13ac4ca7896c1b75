// The all-reports bundle, built by Queue messages one step at a time: step i writes report i's
// CSV to R2 (a multipart upload, one part in memory), the last step packs those CSVs into one
// .tar.gz (again in parts) and deletes them. Every step writes under a fixed key and only a
// completed upload becomes visible, so a step that fails midway and runs again leaves neither a
// truncated nor a second file; and the step counter in D1 advances only once per step.
import {
  advanceBundle,
  type BundleRow,
  findBundle,
  listExpiredBundles,
  listStalledBundles,
  markBundleExpired,
  markBundleFailed,
  markBundleRunning,
  touchBundle,
} from "../db/bundles";
import { logStep } from "../observability/log";
import { PartWriter } from "./part-writer";
import { tarEnd, tarHeader, tarPadding } from "./tar";

export interface BundleMessage {
  id: string;
  step: number;
}

/** Where the reports come from: their ids, and one report's CSV text in chunks. */
export interface ReportSource {
  ids: readonly string[];
  chunks(env: Env, id: string, range: { from: string; to: string }): AsyncIterable<string>;
}

/** Deliveries of one step before the bundle is given up as failed. */
export const MAX_ATTEMPTS = 5;

export const bundleFileName = (bundle: Pick<BundleRow, "fromDate" | "toDate">) =>
  `reports_from${bundle.fromDate}_to${bundle.toDate}.tar.gz`;
export const bundleArchiveKey = (bundle: Pick<BundleRow, "id" | "fromDate" | "toDate">) => `bundles/${bundle.id}/${bundleFileName(bundle)}`;
const csvKey = (id: string, report: string) => `bundles/${id}/csv/${report}.csv`;

const encoder = new TextEncoder();

export type StepOutcome = "advanced" | "done" | "skipped";

/** What a step works with; tests replace parts of it. */
export interface StepDeps {
  source: ReportSource;
  bucket: R2Bucket;
  queue: Queue<BundleMessage>;
  now: () => number;
}

/** Runs one step of a bundle. Throws if the step failed; the Queue then delivers it again. */
export async function runBundleStep(env: Env, message: BundleMessage, deps: StepDeps): Promise<StepOutcome> {
  const { source, bucket, now } = deps;
  const bundle = await findBundle(env.ANALYTIC_DB, message.id);
  // Already done by another delivery, given up, expired, or never created.
  if (!bundle || bundle.step !== message.step || (bundle.status !== "queued" && bundle.status !== "running")) return "skipped";
  await markBundleRunning(env.ANALYTIC_DB, bundle.id, now());

  if (message.step < bundle.reports.length) {
    const report = bundle.reports[message.step]!.report;
    const writer = await PartWriter.start(bucket, csvKey(bundle.id, report), { httpMetadata: { contentType: "text/csv; charset=utf-8" } });
    try {
      for await (const text of source.chunks(env, report, { from: bundle.fromDate, to: bundle.toDate })) await writer.write(encoder.encode(text));
      await writer.complete();
    } catch (error) {
      await writer.abort().catch(() => undefined);
      throw error;
    }
    const reports = bundle.reports.map((r, i) => (i === message.step ? { ...r, bytes: writer.size } : r));
    if (await advanceBundle(env.ANALYTIC_DB, bundle.id, message.step, { reports, now: now() })) {
      await deps.queue.send({ id: bundle.id, step: message.step + 1 });
      return "advanced";
    }
    return "skipped";
  }

  const size = await packArchive(bucket, bundle, now());
  if (!(await advanceBundle(env.ANALYTIC_DB, bundle.id, message.step, { reports: bundle.reports, done: { size }, now: now() }))) return "skipped";
  await bucket.delete(bundle.reports.map((r) => csvKey(bundle.id, r.report)));
  return "done";
}

/** Streams the written CSVs through tar and gzip into the archive's multipart upload. */
async function packArchive(bucket: R2Bucket, bundle: BundleRow, now: number): Promise<number> {
  const writer = await PartWriter.start(bucket, bundleArchiveKey(bundle), {
    httpMetadata: { contentType: "application/gzip", contentDisposition: `attachment; filename="${bundleFileName(bundle)}"` },
  });
  const gzip = new CompressionStream("gzip");
  const input = gzip.writable.getWriter();
  const upload = writer.pipeFrom(gzip.readable);
  const tar = async () => {
    for (const { report } of bundle.reports) {
      const object = await bucket.get(csvKey(bundle.id, report));
      if (!object) throw new Error(`the CSV of ${report} is missing from R2`);
      await input.write(tarHeader(`${report}.csv`, object.size, Math.floor(now / 1000)));
      for await (const chunk of object.body) await input.write(chunk);
      await input.write(tarPadding(object.size));
    }
    await input.write(tarEnd());
    await input.close();
  };
  try {
    await Promise.all([tar().catch(async (error) => {
      await input.abort(error).catch(() => undefined);
      throw error;
    }), upload]);
    return (await writer.complete()).size;
  } catch (error) {
    await writer.abort().catch(() => undefined);
    throw error;
  }
}

/** The Queue consumer: each message is one step; a failed step is retried with back-off. */
export async function consumeBundleMessages(batch: { readonly messages: readonly Message<BundleMessage>[] }, env: Env, deps: StepDeps): Promise<void> {
  for (const message of batch.messages) {
    try {
      await logStep(
        { trigger: "queue", job: "bundle", step: String(message.body.step), target: message.body.id, attempt: message.attempts },
        () => runBundleStep(env, message.body, deps),
        (outcome) => ({ outcome }),
        message.attempts >= MAX_ATTEMPTS ? "given_up" : "retry",
      );
      message.ack();
    } catch (error) {
      console.error("bundle step failed", message.body, `attempt ${message.attempts}`, error);
      if (message.attempts >= MAX_ATTEMPTS) {
        await markBundleFailed(env.ANALYTIC_DB, message.body.id, `step ${message.body.step} failed ${message.attempts} times: ${String(error)}`, Date.now());
        message.ack();
      } else {
        message.retry({ delaySeconds: 10 * 2 ** (message.attempts - 1) });
      }
    }
  }
}

/**
 * Hourly: deletes the files of expired bundles, and sends again the step of a bundle that has not
 * moved for a while (a message lost between advancing the step and sending the next).
 */
export const stepDeps = (env: Env, source: ReportSource): StepDeps => ({
  source,
  bucket: env.BUNDLES,
  queue: env.BUNDLE_QUEUE as Queue<BundleMessage>,
  now: Date.now,
});

export async function maintainBundles(env: Env, now: number, stalledAfterMs = 15 * 60 * 1000, giveUpAfterMs = 24 * 60 * 60 * 1000) {
  let expired = 0;
  for (const bundle of await listExpiredBundles(env.ANALYTIC_DB, now, 100)) {
    const listed = await env.BUNDLES.list({ prefix: `bundles/${bundle.id}/` });
    if (listed.objects.length > 0) await env.BUNDLES.delete(listed.objects.map((o) => o.key));
    await markBundleExpired(env.ANALYTIC_DB, bundle.id, now);
    expired++;
  }
  let resent = 0;
  let failed = 0;
  for (const bundle of await listStalledBundles(env.ANALYTIC_DB, now - stalledAfterMs, 100)) {
    if (bundle.createdAt < now - giveUpAfterMs) {
      await markBundleFailed(env.ANALYTIC_DB, bundle.id, "not finished within a day", now);
      failed++;
      continue;
    }
    await env.BUNDLE_QUEUE.send({ id: bundle.id, step: bundle.step } satisfies BundleMessage);
    await touchBundle(env.ANALYTIC_DB, bundle.id, now);
    resent++;
  }
  return { expired, resent, failed };
}
