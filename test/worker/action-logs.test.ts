import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { NEIGHBOUR_RANGES, STORED_RANGES } from "../../worker/db/action-log-ids";
import type { Installation } from "../../worker/durable/installation";
import { count, freshUid, httpRequestLog, nailgunTaskLog, postJson } from "./helpers";

type Result = { master_node_uid: string; external_id: number; status: string };
const post = async (logs: unknown[]) => {
  const res = await postJson("/api/v1/action_logs/", { action_logs: logs });
  expect(res.status).toBe(200);
  const body = await res.json<{ status: string; exec_time: number; action_logs: Result[] }>();
  expect(body.status).toBe("ok");
  return body.action_logs;
};
const statusCounts = (results: Result[]) =>
  results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const stub = (uid: string) => env.INSTALLATION.get(env.INSTALLATION.idFromName(uid));

/** Counts the D1 calls an installation's object makes, by wrapping its binding in place. */
async function countD1Calls(uid: string): Promise<string[]> {
  const calls: string[] = [];
  await runInDurableObject(stub(uid), (instance: Installation) => {
    const holder = instance as unknown as { env: Env };
    const real = holder.env.COLLECTOR_DB;
    const counting = new Proxy(real, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          calls.push(key === "batch" ? `batch(${(args[0] as unknown[]).length})` : String(key));
          return value.apply(target, args);
        };
      },
    });
    holder.env = { ...holder.env, COLLECTOR_DB: counting };
  });
  return calls;
}

/** Sums the rows written by the statements the object runs on its action-log tables from now on. */
async function countIdRowsWritten(uid: string): Promise<() => number> {
  const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
  await runInDurableObject(stub(uid), (_: Installation, state) => {
    const sql = state.storage.sql;
    const exec = sql.exec.bind(sql);
    sql.exec = ((query: string, ...bindings: unknown[]) => {
      const cursor = exec(query, ...bindings);
      // The ids' rows only: a new object's first write also makes its schema (CREATE TABLE …).
      if (/action_log_(ranges|keys)/.test(query) && !/^\s*CREATE\b/i.test(query)) cursors.push(cursor);
      return cursor;
    }) as typeof sql.exec;
  });
  return () => cursors.reduce((n, c) => n + c.rowsWritten, 0);
}

const storedRanges = (uid: string) =>
  runInDurableObject(stub(uid), (_: Installation, state) =>
    state.storage.sql.exec<{ lo: number; hi: number }>("SELECT lo, hi FROM action_log_ranges ORDER BY lo").toArray(),
  );

describe("POST action_logs", () => {
  afterEach(async () => {
    await env.COLLECTOR_DB.exec("DROP TRIGGER IF EXISTS fail_action_log");
  });

  it("adds new logs and copies action_type and action_name into their columns", async () => {
    const uid = freshUid();
    const results = await post(range(1, 10).map((i) => httpRequestLog(uid, i)));
    expect(results).toEqual(range(1, 10).map((i) => ({ master_node_uid: uid, external_id: i, status: "added" })));
    const row = await env.COLLECTOR_DB.prepare(
      "SELECT action_type, action_name, body FROM action_logs WHERE master_node_uid = ? AND external_id = 3",
    ).bind(uid).first<{ action_type: string; action_name: string; body: string }>();
    expect(row).toMatchObject({ action_type: "http_request", action_name: "deploy" });
    expect(JSON.parse(row!.body)).toEqual(httpRequestLog(uid, 3).body);
  });

  it("answers 100 re-posted logs existed and 50 new ones added", async () => {
    const uid = freshUid();
    await post(range(1, 100).map((i) => httpRequestLog(uid, i)));
    const results = await post(range(1, 150).map((i) => httpRequestLog(uid, i)));
    expect(statusCounts(results)).toEqual({ existed: 100, added: 50 });
    expect(results.filter((r) => r.status === "added").map((r) => r.external_id)).toEqual(range(101, 50));
    expect(await count("action_logs", uid)).toBe(150);
  });

  it("does not change the stored body of an existing log", async () => {
    const uid = freshUid();
    await post([httpRequestLog(uid, 1, { action_name: "original" })]);
    expect(statusCounts(await post([httpRequestLog(uid, 1, { action_name: "changed" })]))).toEqual({ existed: 1 });
    const row = await env.COLLECTOR_DB.prepare("SELECT action_name FROM action_logs WHERE master_node_uid = ?").bind(uid).first();
    expect(row).toEqual({ action_name: "original" });
  });

  it("skips an unfinished nailgun task without storing it, and stores it once it arrives finished", async () => {
    const uid = freshUid();
    expect(await post([nailgunTaskLog(uid, 7, null), nailgunTaskLog(uid, 8, "")])).toEqual([
      { master_node_uid: uid, external_id: 7, status: "skipped" },
      { master_node_uid: uid, external_id: 8, status: "skipped" },
    ]);
    expect(await count("action_logs", uid)).toBe(0);
    expect(statusCounts(await post([nailgunTaskLog(uid, 7, "2015-06-01T10:05:00")]))).toEqual({ added: 1 });
    const row = await env.COLLECTOR_DB.prepare("SELECT action_type, body FROM action_logs WHERE master_node_uid = ?")
      .bind(uid).first<{ action_type: string; body: string }>();
    expect(row!.action_type).toBe("nailgun_task");
    expect(JSON.parse(row!.body).end_timestamp).toBe("2015-06-01T10:05:00");
  });

  it("collapses duplicate keys in one request to the last, answering each key once", async () => {
    const uid = freshUid();
    const results = await post([
      httpRequestLog(uid, 1, { action_name: "first" }),
      httpRequestLog(uid, 2),
      httpRequestLog(uid, 1, { action_name: "last" }),
    ]);
    expect(results.map((r) => [r.external_id, r.status])).toEqual([[1, "added"], [2, "added"]]);
    const row = await env.COLLECTOR_DB.prepare("SELECT action_name FROM action_logs WHERE master_node_uid = ? AND external_id = 1")
      .bind(uid).first();
    expect(row).toEqual({ action_name: "last" });
  });

  it("refuses a request mixing installations, naming them, and stores nothing", async () => {
    const [a, b] = [freshUid("a"), freshUid("b")];
    const res = await postJson("/api/v1/action_logs/", { action_logs: [httpRequestLog(a, 1), httpRequestLog(b, 1)] });
    expect(res.status).toBe(400);
    expect((await res.json<{ message: string }>()).message).toContain(`found 2: "${a}", "${b}"`);
    expect((await count("action_logs", a)) + (await count("action_logs", b))).toBe(0);
  });

  it("answers stored logs existed from the object's memory without reading D1", async () => {
    const uid = freshUid();
    await post(range(1, 5).map((i) => httpRequestLog(uid, i)));
    // Remove the rows behind the object's back: only its own memory can still know them.
    await env.COLLECTOR_DB.prepare("DELETE FROM action_logs WHERE master_node_uid = ?").bind(uid).run();
    expect(statusCounts(await post(range(1, 5).map((i) => httpRequestLog(uid, i))))).toEqual({ existed: 5 });
    expect(await count("action_logs", uid)).toBe(0);
  });

  it("falls back on D1's unique key when the object has lost its memory", async () => {
    const uid = freshUid();
    await post(range(1, 5).map((i) => httpRequestLog(uid, i)));
    await runInDurableObject(stub(uid), (_: Installation, state) => {
      state.storage.sql.exec("DELETE FROM action_log_ranges");
    });
    expect(statusCounts(await post(range(1, 6).map((i) => httpRequestLog(uid, i))))).toEqual({ existed: 5, added: 1 });
    expect(await count("action_logs", uid)).toBe(6);
  });

  it("leaves one row for two concurrent identical requests, one answered added and the other existed", async () => {
    const uid = freshUid();
    const logs = range(1, 50).map((i) => httpRequestLog(uid, i));
    const [first, second] = await Promise.all([post(logs), post(logs)]);
    expect(await count("action_logs", uid)).toBe(50);
    const added = [...first!, ...second!].filter((r) => r.status === "added");
    expect(added).toHaveLength(50);
    expect(new Set(added.map((r) => r.external_id)).size).toBe(50);
    expect(statusCounts([...first!, ...second!])).toEqual({ added: 50, existed: 50 });
  });

  it("stores no row of a batch that fails in its middle, answers failed, and accepts the logs once the fault is gone", async () => {
    const uid = freshUid();
    await env.COLLECTOR_DB.exec(
      "CREATE TRIGGER fail_action_log BEFORE INSERT ON action_logs WHEN NEW.external_id = 95 BEGIN SELECT RAISE(ABORT, 'forced failure'); END",
    );
    // Bodies of ~6 KB make the 100 logs span two insert statements (about 83 per 512 KiB chunk);
    // the fault is in the second, so the first statement's rows must be rolled back too.
    const padding = "p".repeat(6000);
    const logs = range(1, 100).map((i) => httpRequestLog(uid, i, { additional_info: { request_data: { padding }, response_data: {} } }));
    const calls = await countD1Calls(uid);
    const results = await post([...logs, nailgunTaskLog(uid, 500, null)]);
    expect(calls).toEqual(["prepare", "prepare", "batch(2)"]);
    expect(statusCounts(results)).toEqual({ failed: 100, skipped: 1 });
    expect(await count("action_logs", uid)).toBe(0);

    await env.COLLECTOR_DB.exec("DROP TRIGGER fail_action_log");
    expect(statusCounts(await post(logs))).toEqual({ added: 100 });
    expect(await count("action_logs", uid)).toBe(100);
  });

  it("writes 100 logs with one D1 batch of one statement, not one round trip per log", async () => {
    const uid = freshUid();
    const calls = await countD1Calls(uid);
    expect(statusCounts(await post(range(1, 100).map((i) => httpRequestLog(uid, i))))).toEqual({ added: 100 });
    expect(calls).toEqual(["prepare", "batch(1)"]);
  });
});

describe("the object's memory of stored action-log ids", () => {
  it("remembers a batch of 100 consecutive new ids in one row, extends it with the next batch in one row written, and writes none for a re-send", async () => {
    const uid = freshUid("ranges");
    const written = await countIdRowsWritten(uid);
    expect(statusCounts(await post(range(1, 100).map((i) => httpRequestLog(uid, i))))).toEqual({ added: 100 });
    expect(written()).toBe(1);
    expect(statusCounts(await post(range(101, 100).map((i) => httpRequestLog(uid, i))))).toEqual({ added: 100 });
    expect(written()).toBe(2);
    const calls = await countD1Calls(uid);
    expect(statusCounts(await post(range(1, 200).reverse().map((i) => httpRequestLog(uid, i))))).toEqual({ existed: 200 });
    expect(calls).toEqual([]);
    expect(written()).toBe(2);
    expect(await storedRanges(uid)).toEqual([{ lo: 1, hi: 200 }]);
  });

  it("answers a batch straddling stored and new ids: the stored ones existed without reaching D1, the new ones added", async () => {
    const uid = freshUid("ranges");
    await post(range(1, 100).map((i) => httpRequestLog(uid, i)));
    // Only the object's memory knows 1 … 100 now: were they sent to D1, they would be stored again.
    await env.COLLECTOR_DB.prepare("DELETE FROM action_logs WHERE master_node_uid = ?").bind(uid).run();
    const results = await post(range(51, 100).map((i) => httpRequestLog(uid, i)));
    expect(results.filter((r) => r.status === "existed").map((r) => r.external_id)).toEqual(range(51, 50));
    expect(results.filter((r) => r.status === "added").map((r) => r.external_id)).toEqual(range(101, 50));
    expect(await count("action_logs", uid)).toBe(50);
    expect(await storedRanges(uid)).toEqual([{ lo: 1, hi: 150 }]);
  });

  it("fills gaps and takes ids out of order, merging the ranges they join", async () => {
    const uid = freshUid("ranges");
    await post([...range(1, 10), ...range(21, 10), ...range(41, 10)].map((i) => httpRequestLog(uid, i)));
    expect(await storedRanges(uid)).toEqual([{ lo: 1, hi: 10 }, { lo: 21, hi: 30 }, { lo: 41, hi: 50 }]);
    const results = await post([...range(11, 30)].reverse().map((i) => httpRequestLog(uid, i)));
    expect(statusCounts(results)).toEqual({ added: 20, existed: 10 });
    expect(await storedRanges(uid)).toEqual([{ lo: 1, hi: 50 }]);
  });

  it("writes one row per id when no two ids are consecutive, and answers them existed when re-sent", async () => {
    const uid = freshUid("ranges");
    const ids = range(0, 100).map((i) => 2001 + 2 * i);
    const written = await countIdRowsWritten(uid);
    expect(statusCounts(await post(ids.map((i) => httpRequestLog(uid, i))))).toEqual({ added: 100 });
    expect(written()).toBe(100);
    expect(statusCounts(await post(ids.map((i) => httpRequestLog(uid, i))))).toEqual({ existed: 100 });
    expect(written()).toBe(100);
    // The ids between them join the ranges: 99 of them swallowed, the first one grown.
    expect(statusCounts(await post(range(2001, 199).map((i) => httpRequestLog(uid, i))))).toEqual({ added: 99, existed: 100 });
    expect(await storedRanges(uid)).toEqual([{ lo: 2001, hi: 2199 }]);
  });

  it("remembers ids at both ends of the safe-integer range", async () => {
    const uid = freshUid("ranges");
    const { MIN_SAFE_INTEGER: min, MAX_SAFE_INTEGER: max } = Number;
    const ids = [min, min + 1, -1, 0, max - 1, max];
    expect(statusCounts(await post(ids.map((i) => httpRequestLog(uid, i))))).toEqual({ added: 6 });
    expect(await storedRanges(uid)).toEqual([{ lo: min, hi: min + 1 }, { lo: -1, hi: 0 }, { lo: max - 1, hi: max }]);
    const calls = await countD1Calls(uid);
    expect(statusCounts(await post([...ids, min + 2, max - 2].map((i) => httpRequestLog(uid, i))))).toEqual({ existed: 6, added: 2 });
    expect(calls).toEqual(["prepare", "batch(1)"]);
    expect(await storedRanges(uid)).toEqual([{ lo: min, hi: min + 2 }, { lo: -1, hi: 0 }, { lo: max - 2, hi: max }]);
  });

  it("adds each id once when two batches with overlapping ids arrive at once", async () => {
    const uid = freshUid("ranges");
    const [first, second] = await Promise.all([
      post(range(1, 100).map((i) => httpRequestLog(uid, i))),
      post(range(51, 100).map((i) => httpRequestLog(uid, i))),
    ]);
    const answers = [...first!, ...second!];
    const added = answers.filter((r) => r.status === "added").map((r) => r.external_id);
    expect(added.sort((a, b) => a - b)).toEqual(range(1, 150));
    expect(statusCounts(answers)).toEqual({ added: 150, existed: 50 });
    expect(await count("action_logs", uid)).toBe(150);
    expect(await storedRanges(uid)).toEqual([{ lo: 1, hi: 150 }]);
  });

  it("answers ids of the legacy table, one row per id, existed without a D1 call, and does not write it", async () => {
    const uid = freshUid("legacy");
    await post([httpRequestLog(uid, 500)]);
    // An object from before the ranges: its ids one row each in action_log_keys.
    await runInDurableObject(stub(uid), (_: Installation, state) => {
      state.storage.sql.exec("DELETE FROM action_log_ranges");
      state.storage.sql.exec("INSERT INTO action_log_keys (external_id) SELECT value FROM json_each(?)", JSON.stringify([...range(1, 100), 500]));
    });
    const calls = await countD1Calls(uid);
    expect(statusCounts(await post([...range(1, 100), 500].map((i) => httpRequestLog(uid, i))))).toEqual({ existed: 101 });
    expect(calls).toEqual([]);

    const written = await countIdRowsWritten(uid);
    const results = await post(range(51, 100).map((i) => httpRequestLog(uid, i)));
    expect(results.filter((r) => r.status === "added").map((r) => r.external_id)).toEqual(range(101, 50));
    expect(written()).toBe(1);
    expect(await storedRanges(uid)).toEqual([{ lo: 101, hi: 150 }]);
    const legacy = await runInDurableObject(stub(uid), (_: Installation, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM action_log_keys").one().n,
    );
    expect(legacy).toBe(101);
  });

  it("looks ids up with index seeks on both tables, not scans", async () => {
    const uid = freshUid("ranges");
    await post(range(1, 10).map((i) => httpRequestLog(uid, i)));
    const plans = await runInDurableObject(stub(uid), (_: Installation, state) => {
      const plan = (query: string, ...bindings: unknown[]) =>
        state.storage.sql.exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${query}`, ...bindings).toArray().map((r) => r.detail);
      return { stored: plan(STORED_RANGES, "[[1,5]]", "[1,2,3,4,5]"), neighbours: plan(NEIGHBOUR_RANGES, "[[1,5]]") };
    });
    for (const steps of [plans.stored, plans.neighbours]) {
      expect(steps).toContain("SEARCH r USING PRIMARY KEY (lo>? AND lo<?)");
      expect(steps).toContain("SEARCH f USING PRIMARY KEY (lo<?)");
      expect(steps.join("\n")).not.toMatch(/SCAN (r|f|action_log)/);
    }
    expect(plans.stored.join("\n")).toMatch(/SEARCH action_log_keys USING PRIMARY KEY \(external_id=\?\)/);
  });
});
