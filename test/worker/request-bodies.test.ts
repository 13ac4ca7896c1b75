// Bodies sent in chunks (no Content-Length), over the limit, and compressed.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DRAIN_LIMIT_BYTES } from "../../worker/http/body";
import { call, freshUid, structure } from "./helpers";

const LIMIT = Number(env.MAX_BODY_BYTES);
const CHUNK = 64 * 1024;

/** A body of `total` bytes in 64 KiB chunks, with no length known in advance, that records how it was read. */
function chunkedBody(total: number) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled >= total) return controller.close();
      const size = Math.min(CHUNK, total - seen.pulled);
      seen.pulled += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

const postStructure = (body: BodyInit, headers: Record<string, string> = {}) =>
  call("/api/v1/installation_structure/", { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

const structureJson = (uid = freshUid("body")) => JSON.stringify({ installation_structure: structure(uid) });

async function compress(text: string | Uint8Array, format: "gzip" | "deflate"): Promise<Uint8Array> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function expectError(res: Response, status: number, message: RegExp) {
  expect(res.status).toBe(status);
  const body = await res.json<{ status: string; message: string }>();
  expect(body).toMatchObject({ status: "error" });
  expect(body.message).toMatch(message);
}

describe("a body sent in chunks, without Content-Length", () => {
  it("answers 413 past the limit and reads the rest of the body rather than cancelling it", async () => {
    const { stream, seen } = chunkedBody(2 * 1024 * 1024);
    await expectError(await postStructure(stream), 413, new RegExp(`limit of ${LIMIT} bytes`));
    // Cancelling a partly read chunked body drops the connection, which a forwarding proxy then reuses.
    expect(seen).toEqual({ pulled: 2 * 1024 * 1024, cancelled: false });
    const next = await postStructure(structureJson());
    expect(next.status).toBe(201);
  });

  it("stops reading a body past the drain limit, so an endless body cannot hold the worker", async () => {
    const total = LIMIT + DRAIN_LIMIT_BYTES + 32 * CHUNK;
    const { stream, seen } = chunkedBody(total);
    await expectError(await postStructure(stream), 413, /larger than the limit/);
    // Read through the drain limit, then given up (a cancel does not cross the test's boundary).
    expect(seen.pulled).toBeGreaterThan(LIMIT + DRAIN_LIMIT_BYTES);
    expect(seen.pulled).toBeLessThan(total);
  });

  it("stores a body under the limit", async () => {
    const { stream } = chunkedBody(0);
    await expectError(await postStructure(stream), 400, /empty/);
    const json = new TextEncoder().encode(structureJson());
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < json.length; i += 16) controller.enqueue(json.slice(i, i + 16));
        controller.close();
      },
    });
    expect((await postStructure(body)).status).toBe(201);
  });
});

describe("a compressed body (Content-Encoding)", () => {
  it.each(["gzip", "deflate"] as const)("decompresses %s and stores the structure", async (format) => {
    const uid = freshUid(format);
    const res = await postStructure(await compress(structureJson(uid), format), { "content-encoding": format });
    expect(res.status).toBe(201);
    const row = await env.COLLECTOR_DB.prepare("SELECT master_node_uid FROM installation_structures WHERE master_node_uid = ?").bind(uid).first();
    expect(row).toEqual({ master_node_uid: uid });
  });

  it("answers 413 for a small gzip body that decompresses past the limit, and serves the next request", async () => {
    const bomb = await compress(new Uint8Array(8 * LIMIT).fill(0x20), "gzip");
    expect(bomb.byteLength).toBeLessThan(LIMIT / 10);
    await expectError(await postStructure(bomb, { "content-encoding": "gzip" }), 413, new RegExp(`limit of ${LIMIT} bytes \\(decompressed\\)`));
    expect((await postStructure(structureJson())).status).toBe(201);
  });

  it("answers 415 naming an encoding it does not decode", async () => {
    await expectError(await postStructure(structureJson(), { "content-encoding": "br" }), 415, /Content-Encoding "br" is not supported/);
  });

  it("answers 400 for a body that is not what its encoding says", async () => {
    await expectError(await postStructure(structureJson(), { "content-encoding": "gzip" }), 400, /not valid gzip data/);
  });

  it("counts Content-Encoding: identity as no encoding", async () => {
    expect((await postStructure(structureJson(), { "content-encoding": "identity" })).status).toBe(201);
  });
});
