// bench/lib/workerd-v8.mjs: V8 flags put into miniflare's encoded workerd config, and the
// `--trace-gc` lines read back. The encoding is checked against miniflare's own encoder (a config
// that has the flags from the start must read the same), then end to end with a real workerd.
import type { Readable } from "node:stream";
import { Miniflare, serializeConfig } from "miniflare";
import { describe, expect, it } from "vitest";
import { busiestIsolateHeap, giveWorkerdV8Flags, parseGcLine, segmentsOf, withV8Flags } from "../../../bench/lib/workerd-v8.mjs";

const WORD = 8;

interface Target {
  segment: number;
  word: number;
  pointer: bigint;
}

/** The pointer at (segment, word), far pointers followed to their landing pad; its target's first word. */
function resolve(segments: Buffer[], segment: number, word: number): Target & { start: number } {
  const pointer = segments[segment]!.readBigUInt64LE(word * WORD);
  if ((pointer & 3n) === 2n) {
    expect((pointer >> 2n) & 1n).toBe(0n); // single-far only
    return resolve(segments, Number(pointer >> 32n), Number((pointer >> 3n) & 0x1fffffffn));
  }
  const offset = Number(BigInt.asIntN(30, (pointer >> 2n) & 0x3fffffffn));
  return { segment, word, pointer, start: word + 1 + offset };
}

/** Config.v8Flags read from an encoded config: root struct, pointer 2, a list of texts. */
function v8FlagsOf(message: Buffer): string[] {
  const segments = segmentsOf(message);
  const root = resolve(segments, 0, 0);
  expect(root.pointer & 3n).toBe(0n);
  const dataWords = Number((root.pointer >> 32n) & 0xffffn);
  const list = resolve(segments, root.segment, root.start + dataWords + 2);
  if (list.pointer === 0n) return [];
  expect(list.pointer & 3n).toBe(1n);
  expect(Number((list.pointer >> 32n) & 7n)).toBe(6); // pointers
  const count = Number(list.pointer >> 35n);
  return Array.from({ length: count }, (_, i) => {
    const text = resolve(segments, list.segment, list.start + i);
    expect(Number((text.pointer >> 32n) & 7n)).toBe(2); // bytes
    const bytes = Number(text.pointer >> 35n);
    const at = text.start * WORD;
    const raw = segments[text.segment]!.subarray(at, at + bytes);
    expect(raw.at(-1)).toBe(0);
    return raw.subarray(0, -1).toString("utf8");
  });
}

const config = {
  services: [{ name: "main", worker: { modules: [{ name: "index.mjs", esModule: "export default { fetch() { return new Response('ok') } }" }], compatibilityDate: "2026-01-01" } }],
  sockets: [{ name: "http", address: "127.0.0.1:0", http: {}, service: { name: "main" } }],
};

describe("V8 flags in workerd's config", () => {
  it("reads the same as a config that miniflare encodes with them", () => {
    const flags = ["--trace-gc", "--max-heap-size=32", "--a-flag-of-exactly-16"];
    expect(v8FlagsOf(serializeConfig({ ...config, v8Flags: flags }))).toEqual(flags);
    const amended = withV8Flags(serializeConfig(config), flags);
    expect(v8FlagsOf(amended)).toEqual(flags);
    // Everything else is where it was: the original segments are a prefix of the new message's.
    expect(segmentsOf(amended).length).toBe(segmentsOf(serializeConfig(config)).length + 1);
  });

  it("refuses a config that already has flags", () => {
    expect(() => withV8Flags(serializeConfig({ ...config, v8Flags: ["--x"] }), ["--y"])).toThrow(/already has v8Flags/);
  });

  it("reaches a real workerd: its isolates trace their collections", async () => {
    const lines: string[] = [];
    const restore = giveWorkerdV8Flags(["--trace-gc"], (_pid: number, line: string) => lines.push(line));
    const mf = new Miniflare({
      modules: true,
      script: "export default { fetch() { const keep = []; for (let i = 0; i < 200000; i++) keep.push({ i, s: 'x' + i }); return new Response(String(keep.length)) } }",
      // The trace lines are read (and asserted) through giveWorkerdV8Flags, not printed.
      handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
        stdout.resume();
        stderr.resume();
      },
    });
    try {
      const response = await mf.dispatchFetch("http://localhost/");
      expect(await response.text()).toBe("200000");
    } finally {
      await mf.dispose();
      restore();
    }
    const events = lines.map(parseGcLine).filter((e) => e !== null);
    expect(events.length).toBeGreaterThan(0);
    expect(busiestIsolateHeap(events)?.collections).toBeGreaterThan(0);
  }, 60_000);
});

describe("--trace-gc lines", () => {
  it("reads a collection's sizes, full or not", () => {
    expect(parseGcLine("[9577:0x1268bfc68000]    15111 ms: Mark-Compact (reduce) 116.3 (121.8) -> 6.9 (83.1) MB, pooled: 25.5 MB, 5.63 / 0.00 ms")).toEqual({
      pid: 9577,
      isolate: "0x1268bfc68000",
      ms: 15111,
      kind: "Mark-Compact",
      full: true,
      used: 116.3,
      committed: 121.8,
      usedAfter: 6.9,
      committedAfter: 83.1,
    });
    expect(parseGcLine("[1:0xab]  44 ms: Scavenge 4.9 (5.9) -> 4.6 (6.6) MB, pooled: 0.0 MB")).toMatchObject({ full: false, used: 4.9, usedAfter: 4.6 });
    expect(parseGcLine("workerd/server/server.c++:1: info: something else")).toBeNull();
  });

  it("takes the isolate that collected most, with what its full collections left", () => {
    const line = (iso: string, kind: string, used: number, after: number, committed = 30) => parseGcLine(`[1:${iso}] 1 ms: ${kind} ${used} (${committed}) -> ${after} (${committed}) MB, x`)!;
    const heap = busiestIsolateHeap([
      line("0xa", "Scavenge", 10, 8),
      line("0xa", "Mark-Compact", 25, 6, 31),
      line("0xa", "Scavenge", 12, 9),
      line("0xa", "Mark-Compact", 24, 7),
      line("0xb", "Scavenge", 40, 2, 50),
    ]);
    expect(heap).toEqual({ isolate: "0xa", isolates: 2, collections: 4, full: 2, peakUsed: 25, peakCommitted: 31, liveAfterFull: { min: 6, max: 7 } });
    expect(busiestIsolateHeap([])).toBeNull();
  });
});
