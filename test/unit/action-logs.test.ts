import { describe, expect, it } from "vitest";
import type { ActionLog } from "../../schemas/collector";
import { actionLogRow, isUnfinishedTask, planActionLogs, settleActionLogs, toActionLogBatch, uniqueActionLogs } from "../../worker/domain/action-logs";

const log = (uid: string, id: number, body: Partial<ActionLog["body"]> = {}): ActionLog =>
  ({ master_node_uid: uid, external_id: id, body: { action_type: "http_request", action_name: `n${id}`, ...body } }) as ActionLog;
const task = (id: number, end: string | null | undefined): ActionLog =>
  ({ master_node_uid: "m", external_id: id, body: { action_type: "nailgun_task", end_timestamp: end } }) as ActionLog;

describe("uniqueActionLogs", () => {
  it("collapses duplicate keys to the last item, in first-seen order", () => {
    const logs = [log("a", 1, { action_name: "first" }), log("a", 2), log("a", 1, { action_name: "last" })];
    const unique = uniqueActionLogs(logs);
    expect(unique.map((l) => l.external_id)).toEqual([1, 2]);
    expect(unique[0]!.body.action_name).toBe("last");
  });

  it("keeps equal external ids of different installations apart", () => {
    expect(uniqueActionLogs([log("a", 1), log("b", 1)])).toHaveLength(2);
  });
});

describe("isUnfinishedTask", () => {
  it("is true for a nailgun task with a null, empty or missing end", () => {
    expect([null, "", undefined].map((end) => isUnfinishedTask(task(1, end)))).toEqual([true, true, true]);
  });
  it("is false for a finished task and for any http request", () => {
    expect(isUnfinishedTask(task(1, "2015-01-01T00:00:00"))).toBe(false);
    expect(isUnfinishedTask(log("m", 1, { end_timestamp: "" } as never))).toBe(false);
  });
});

describe("planActionLogs and settleActionLogs", () => {
  it("answers stored ids existed and running tasks skipped without storing them", () => {
    const plan = planActionLogs(toActionLogBatch([log("m", 1), task(2, null), log("m", 3)]), new Set([1]));
    expect([...plan.decided]).toEqual([[1, "existed"], [2, "skipped"]]);
    expect(plan.toStore).toEqual({ ids: [3], rows: [actionLogRow(log("m", 3))] });
  });

  it("a stored id is existed even when the task is still running", () => {
    expect([...planActionLogs(toActionLogBatch([task(5, null)]), new Set([5])).decided]).toEqual([[5, "existed"]]);
  });

  it("marks inserted ids added and ids the database already had existed", () => {
    const plan = planActionLogs(toActionLogBatch([log("m", 1), log("m", 2)]), new Set());
    expect([...settleActionLogs(plan, new Set([2]))]).toEqual([[1, "existed"], [2, "added"]]);
  });

  it("marks every record to store failed when the insert failed, keeping the decided ones", () => {
    const plan = planActionLogs(toActionLogBatch([log("m", 1), log("m", 2), task(3, null)]), new Set([1]));
    expect(Object.fromEntries(settleActionLogs(plan, "failed"))).toEqual({ 1: "existed", 2: "failed", 3: "skipped" });
  });
});

describe("toActionLogBatch", () => {
  it("gives each log its row as the insert reads it, and a running task none", () => {
    const finished = task(7, "2015-01-01T00:00:00");
    const batch = toActionLogBatch([log("m", 1, { action_name: "deploy" }), task(2, null), finished]);
    expect(batch.ids).toEqual([1, 2, 7]);
    expect(batch.rows[1]).toBeNull();
    expect(JSON.parse(batch.rows[0]!)).toEqual([1, "http_request", "deploy", { action_type: "http_request", action_name: "deploy" }]);
    expect(JSON.parse(batch.rows[2]!)).toEqual([7, "nailgun_task", null, finished.body]);
  });
});
