import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type BundleMessage,
  bundleArchiveKey,
  maintainBundles,
  type ReportSource,
  runBundleStep,
  type StepDeps,
} from "../../worker/bundles/job";
import { MIN_PART_BYTES } from "../../worker/bundles/part-writer";
import { type BundleRow, findBundle, insertBundle, queuedBundle } from "../../worker/db/bundles";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import worker from "../../worker/index";
import { CSV_REPORT_IDS } from "../../worker/csv";
import { dayOf } from "../../worker/domain/days";
import { ADMIN_AUTH, call, cluster, eventually, oswl, postJson, resetStorage, structure } from "./helpers";

beforeEach(resetStorage);

/** Reports whose CSV is known in advance: `big` is several R2 parts long. */
const texts: Record<string, string> = {
  small: "a,b\r\n1,ünïcødé\r\n",
  empty: "",
  big: `id,text\r\n${Array.from({ length: 130_000 }, (_, i) => `${i},${"x".repeat(40 + (i % 7))}\r\n`).join("")}`,
};
const source: ReportSource = {
  ids: Object.keys(texts),
  async *chunks(_env, id) {
    const text = texts[id]!;
    for (let i = 0; i < text.length; i += 100_000) yield text.slice(i, i + 100_000);
  },
};

/** A queue that keeps what is sent, instead of delivering it. */
function heldQueue() {
  const sent: BundleMessage[] = [];
  return { sent, queue: { send: async (body: BundleMessage) => void sent.push(body) } as unknown as Queue<BundleMessage> };
}

/** The bucket, except that the `failAt`-th part upload fails once. */
function bucketFailingAt(failAt: number) {
  let parts = 0;
  return new Proxy(env.BUNDLES, {
    get(target, key) {
      if (key !== "createMultipartUpload") return Reflect.get(target, key).bind(target);
      return async (...args: Parameters<R2Bucket["createMultipartUpload"]>) => {
        const upload = await target.createMultipartUpload(...args);
        return new Proxy(upload, {
          get(u, k) {
            if (k !== "uploadPart") return Reflect.get(u, k);
            return async (...a: Parameters<R2MultipartUpload["uploadPart"]>) => {
              if (++parts === failAt) throw new Error("injected: R2 unavailable");
              return u.uploadPart(...a);
            };
          },
        });
      };
    },
  });
}

async function newBundle(overrides: Partial<BundleRow> = {}): Promise<BundleRow> {
  const bundle = { ...queuedBundle({ fromDate: "2026-01-01", toDate: "2026-01-31" }, source.ids, Date.now(), 3_600_000), ...overrides };
  await insertBundle(env.ANALYTIC_DB, bundle);
  return bundle;
}

/** The files of a .tar.gz, by name. */
async function untar(gz: ReadableStream<Uint8Array>): Promise<Map<string, string>> {
  const bytes = new Uint8Array(await new Response(gz.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
  const files = new Map<string, string>();
  const text = (from: number, length: number) => new TextDecoder().decode(bytes.subarray(from, from + length)).replace(/\0.*$/s, "");
  let offset = 0;
  while (offset + 512 <= bytes.length && bytes[offset] !== 0) {
    const header = bytes.subarray(offset, offset + 512);
    const stored = Number.parseInt(text(offset + 148, 8).trim(), 8);
    const sum = header.reduce((t, b, i) => t + (i >= 148 && i < 156 ? 32 : b), 0);
    expect(sum, "tar header checksum").toBe(stored);
    expect(text(offset + 257, 6)).toBe("ustar");
    const size = Number.parseInt(text(offset + 124, 12), 8);
    files.set(text(offset, 100), new TextDecoder().decode(bytes.subarray(offset + 512, offset + 512 + size)));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  expect(bytes.subarray(offset).every((b) => b === 0)).toBe(true);
  expect(bytes.length - offset).toBeGreaterThanOrEqual(1024);
  return files;
}

async function runAll(bundle: BundleRow, deps: Partial<StepDeps> = {}) {
  const held = heldQueue();
  const all = { source, bucket: env.BUNDLES, queue: held.queue, now: Date.now, ...deps };
  const outcomes = [];
  for (let step = 0; step <= all.source.ids.length; step++) outcomes.push(await runBundleStep(env, { id: bundle.id, step }, all));
  return { outcomes, sent: held.sent };
}

describe("the all-reports bundle job", () => {
  it("writes one CSV per report, then packs them into a .tar.gz in R2, step by step", async () => {
    expect(texts.big!.length).toBeGreaterThan(MIN_PART_BYTES);
    const bundle = await newBundle();
    const { outcomes, sent } = await runAll(bundle);
    expect(outcomes).toEqual(["advanced", "advanced", "advanced", "done"]);
    expect(sent).toEqual([1, 2, 3].map((step) => ({ id: bundle.id, step })));

    const stored = (await findBundle(env.ANALYTIC_DB, bundle.id))!;
    expect(stored).toMatchObject({ status: "done", step: 4 });
    expect(stored.reports).toEqual(source.ids.map((report) => ({ report, bytes: new TextEncoder().encode(texts[report]!).length })));
    const archive = (await env.BUNDLES.get(bundleArchiveKey(bundle)))!;
    expect(stored.size).toBe(archive.size);
    expect(await untar(archive.body)).toEqual(new Map(source.ids.map((id) => [`${id}.csv`, texts[id]!])));
    // The CSVs it packed are gone; only the archive is left.
    expect((await env.BUNDLES.list({ prefix: `bundles/${bundle.id}/` })).objects.map((o) => o.key)).toEqual([bundleArchiveKey(bundle)]);
  });

  it("leaves no truncated or second file when a step fails midway and runs again", async () => {
    const bundle = await newBundle();
    const held = heldQueue();
    const deps = { source, queue: held.queue, now: Date.now };
    await runBundleStep(env, { id: bundle.id, step: 0 }, { ...deps, bucket: env.BUNDLES });
    await runBundleStep(env, { id: bundle.id, step: 1 }, { ...deps, bucket: env.BUNDLES });
    // The big report fails at its second part: nothing of it is visible, and the step stays.
    await expect(runBundleStep(env, { id: bundle.id, step: 2 }, { ...deps, bucket: bucketFailingAt(2) })).rejects.toThrow(/injected/);
    expect((await findBundle(env.ANALYTIC_DB, bundle.id))!.step).toBe(2);
    expect((await env.BUNDLES.list({ prefix: `bundles/${bundle.id}/csv/big` })).objects).toEqual([]);
    // Delivered again, it succeeds; so does a duplicate delivery, which changes nothing.
    expect(await runBundleStep(env, { id: bundle.id, step: 2 }, { ...deps, bucket: env.BUNDLES })).toBe("advanced");
    expect(await runBundleStep(env, { id: bundle.id, step: 2 }, { ...deps, bucket: env.BUNDLES })).toBe("skipped");
    // The archive fails at its first part, then succeeds.
    await expect(runBundleStep(env, { id: bundle.id, step: 3 }, { ...deps, bucket: bucketFailingAt(1) })).rejects.toThrow(/injected/);
    expect(await env.BUNDLES.head(bundleArchiveKey(bundle))).toBeNull();
    expect(await runBundleStep(env, { id: bundle.id, step: 3 }, { ...deps, bucket: env.BUNDLES })).toBe("done");
    expect(held.sent).toEqual([1, 2, 3].map((step) => ({ id: bundle.id, step })));
    const archive = (await env.BUNDLES.get(bundleArchiveKey(bundle)))!;
    expect(await untar(archive.body)).toEqual(new Map(source.ids.map((id) => [`${id}.csv`, texts[id]!])));
  });

  it("expires old bundles, re-sends a stalled step and gives up on one a day old", async () => {
    const old = await newBundle({ expiresAt: Date.now() - 1 });
    await runAll(old);
    const stalled = await newBundle({ updatedAt: Date.now() - 3_600_000 });
    const ancient = await newBundle({ createdAt: Date.now() - 2 * 86_400_000, updatedAt: Date.now() - 2 * 86_400_000 });
    expect(await maintainBundles(env, Date.now())).toEqual({ expired: 1, resent: 1, failed: 1 });
    expect((await env.BUNDLES.list({ prefix: `bundles/${old.id}/` })).objects).toEqual([]);
    expect((await findBundle(env.ANALYTIC_DB, old.id))!.status).toBe("expired");
    expect((await findBundle(env.ANALYTIC_DB, stalled.id))!.updatedAt).toBeGreaterThan(stalled.updatedAt);
    expect((await findBundle(env.ANALYTIC_DB, ancient.id))!.status).toBe("failed");
    const res = await call(`/api/v1/exports/${old.id}/download`, { headers: ADMIN_AUTH });
    expect(res.status).toBe(410);
  });
});

describe("the bundle, end to end", () => {
  it("packs exactly the CSVs the CSV API serves, through the Queue consumer", async () => {
    const uids = ["bundle-a", "bundle-b"];
    for (const [i, uid] of uids.entries()) {
      const res = await postJson("/api/v1/installation_structure/", {
        installation_structure: structure(uid, { clusters_num: 1, clusters: [cluster(i + 1, 2, { status: "operational" })] }),
      });
      expect(res.status).toBe(201);
      const workload = oswl(uid, 1, { cluster_id: i + 1, created_date: dayOf(Date.now()) });
      expect((await postJson("/api/v1/oswl_stats/", { oswl_stats: [workload] })).status).toBe(200);
    }
    const today = dayOf(Date.now());
    const range = { from_date: today, to_date: today };
    const created = await (await postJson("/api/v1/exports", range, ADMIN_AUTH)).json<{ id: string }>();
    // Deliver each step through the Worker's queue handler, as the Queue would.
    for (let step = 0; step <= CSV_REPORT_IDS.length; step++) {
      const batch = createMessageBatch("edgestats-bundles", [
        { id: `m${step}`, timestamp: new Date(), attempts: 1, body: { id: created.id, step } },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([`m${step}`]);
    }
    const view = await eventually(async () => {
      const v = await (await call(`/api/v1/exports/${created.id}`, { headers: ADMIN_AUTH })).json<{ status: string; download: string }>();
      expect(v.status).toBe("done");
      return v;
    });
    const files = await untar((await call(view.download, { headers: ADMIN_AUTH })).body!);
    expect([...files.keys()]).toEqual(CSV_REPORT_IDS.map((id) => `${id}.csv`));
    for (const id of CSV_REPORT_IDS) {
      const direct = await (await call(`/api/v1/csv/${id}?from_date=${today}&to_date=${today}`, { headers: ADMIN_AUTH })).text();
      expect(files.get(`${id}.csv`), id).toBe(direct);
    }
    expect(files.get("clusters.csv")!.split("\r\n").filter(Boolean)).toHaveLength(3);
    expect(files.get("vm.csv")!.split("\r\n").filter(Boolean).length).toBeGreaterThan(1);
  });
});

describe("the bundle API", () => {
  it("queues a bundle, reports its progress, and serves the file when done", async () => {
    const res = await postJson("/api/v1/exports", { from_date: "2026-01-01", to_date: "2026-01-31" }, ADMIN_AUTH);
    expect(res.status).toBe(202);
    const view = await res.json<{ id: string; status: string; progress: { done: number; total: number }; download: null }>();
    expect(res.headers.get("location")).toBe(`/api/v1/exports/${view.id}`);
    expect(view).toMatchObject({ status: "queued", progress: { done: 0 }, download: null });
    expect(view.progress.total).toBeGreaterThan(0);
    expect((await call(`/api/v1/exports/${view.id}/download`, { headers: ADMIN_AUTH })).status).toBe(409);

    // The same range again within the hour: the same bundle.
    const again = await postJson("/api/v1/exports", { from_date: "2026-01-01", to_date: "2026-01-31" }, ADMIN_AUTH);
    expect(again.status).toBe(200);
    expect((await again.json<{ id: string }>()).id).toBe(view.id);

    // The steps, as the consumer runs them (should the local Queue deliver them too, the steps
    // it runs first are skipped here: each step runs once).
    const bundle = (await findBundle(env.ANALYTIC_DB, view.id))!;
    const ids = bundle.reports.map((r) => r.report);
    await runAll(bundle, { source: { ids, chunks: async function* (_e, id) { yield `${id}\r\n`; } } });
    const done = await eventually(async () => {
      const v = await (await call(`/api/v1/exports/${view.id}`, { headers: ADMIN_AUTH })).json<{ status: string; download: string; size: number; file_name: string }>();
      expect(v.status).toBe("done");
      return v;
    }, 10_000);
    expect(done).toMatchObject({ status: "done", download: `/api/v1/exports/${view.id}/download`, file_name: "reports_from2026-01-01_to2026-01-31.tar.gz" });
    const download = await call(done.download, { headers: ADMIN_AUTH });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/gzip");
    expect(download.headers.get("content-disposition")).toBe('attachment; filename="reports_from2026-01-01_to2026-01-31.tar.gz"');
    expect(Number(download.headers.get("content-length"))).toBe(done.size);
    const files = await untar(download.body!);
    expect([...files.keys()]).toEqual(bundle.reports.map((r) => `${r.report}.csv`));
  });

  it.each([
    ['{"from_date":"2026-02-30"}', 400, "from_date"],
    ['{"from_date":"2026-03-02","to_date":"2026-03-01"}', 400, "is after to_date"],
    ['{"from_date":"1990-01-01","to_date":"2026-03-01"}', 400, "spans more than"],
    ['{"colour":"red"}', 400, "colour"],
    ["not json", 400, "not valid JSON"],
    [`{"from_date":"${"x".repeat(5000)}"}`, 413, "larger than"],
  ])("answers a bad request (%#) with its status, naming the problem", async (body, status, problem) => {
    const res = await postJson("/api/v1/exports", body, ADMIN_AUTH);
    expect(res.status).toBe(status);
    expect((await res.json<{ message: string }>()).message).toContain(problem);
    expect((await env.ANALYTIC_DB.prepare("SELECT count(*) AS n FROM bundles").first<{ n: number }>())!.n).toBe(0);
  });

  it.each([
    ["GET", "/api/v1/exports", "POST"],
    ["GET", "/api/v1/exports/", "POST"],
    ["DELETE", `/api/v1/exports/${crypto.randomUUID()}`, "GET, HEAD"],
    ["POST", `/api/v1/exports/${crypto.randomUUID()}/download`, "GET, HEAD"],
  ])("answers %s %s with 405 and an Allow header", async (method, path, allow) => {
    const res = await call(path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    expect(await res.json()).toMatchObject({ status: "error", message: expect.stringContaining(`method ${method} is not allowed`) });
  });

  it("answers 404 for an unknown bundle and 429 when too many are being made", async () => {
    expect((await call(`/api/v1/exports/${crypto.randomUUID()}`, { headers: ADMIN_AUTH })).status).toBe(404);
    expect((await call("/api/v1/exports/not-an-id", { headers: ADMIN_AUTH })).status).toBe(404);
    for (let day = 1; day <= 5; day++) await newBundle({ fromDate: `2026-01-0${day}` });
    const res = await postJson("/api/v1/exports", {}, ADMIN_AUTH);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("60");
  });
});
