// V8 flags for the workerd that wrangler starts, for benchmarks only: to run the worker's isolates
// with a capped heap as Cloudflare does (128 MB per isolate), and to read V8's own account of its
// heap (`--trace-gc`). workerd takes V8 flags only in its config (`Config.v8Flags`), which miniflare
// builds, encodes as Cap'n Proto and writes to workerd's stdin without a way to add any; so the
// encoded config is amended on its way in: `v8Flags` (pointer 2 of the root struct, null there)
// becomes a far pointer into one appended segment that holds the list of texts.
import childProcess from "node:child_process";
import { existsSync } from "node:fs";

const WORD = 8;
/** coreutils' stdbuf (Debian: always there). */
const STDBUF = "/usr/bin/stdbuf";

/**
 * The segments of a Cap'n Proto message (standard framing), as copies.
 * @param {Buffer} message
 * @returns {Buffer[]}
 */
export function segmentsOf(message) {
  const count = message.readUInt32LE(0) + 1;
  const sizes = Array.from({ length: count }, (_, i) => message.readUInt32LE(4 + 4 * i) * WORD);
  let at = Math.ceil((4 + 4 * count) / WORD) * WORD;
  return sizes.map((size) => {
    const segment = Buffer.from(message.subarray(at, at + size));
    at += size;
    return segment;
  });
}

function frame(segments) {
  const table = Buffer.alloc(Math.ceil((4 + 4 * segments.length) / WORD) * WORD);
  table.writeUInt32LE(segments.length - 1, 0);
  segments.forEach((s, i) => table.writeUInt32LE(s.length / WORD, 4 + 4 * i));
  return Buffer.concat([table, ...segments]);
}

/** A list pointer at `at` (bytes) to a list `offset` words after the pointer's end. */
function writeListPointer(segment, at, offsetWords, elementSize, count) {
  segment.writeUInt32LE(((offsetWords << 2) | 1) >>> 0, at);
  segment.writeUInt32LE(((count << 3) | elementSize) >>> 0, at + 4);
}

/** The message with `Config.v8Flags` set to `flags` (the config must not already have some). */
export function withV8Flags(message, flags) {
  const segments = segmentsOf(message);
  const first = segments[0];
  const root = first.readBigUInt64LE(0);
  if ((root & 3n) !== 0n) throw new Error("the config's root is not a struct pointer");
  const offset = Number(BigInt.asIntN(30, (root >> 2n) & 0x3fffffffn));
  const dataWords = Number((root >> 32n) & 0xffffn);
  const pointers = Number((root >> 48n) & 0xffffn);
  if (pointers < 3) throw new Error(`the config struct has ${pointers} pointers; v8Flags is the third`);
  const slot = (1 + offset + dataWords + 2) * WORD;
  if (first.readBigUInt64LE(slot) !== 0n) throw new Error("the config already has v8Flags");

  // The new segment: a landing pad (the list pointer), the list of text pointers, the texts.
  const texts = flags.map((f) => Buffer.from(`${f}\0`, "utf8"));
  const textWords = texts.map((t) => Math.ceil(t.length / WORD));
  const words = 1 + flags.length + textWords.reduce((a, b) => a + b, 0);
  const added = Buffer.alloc(words * WORD);
  writeListPointer(added, 0, 0, 6, flags.length); // element size 6: pointers
  let textAt = 1 + flags.length;
  texts.forEach((text, i) => {
    const pointerAt = 1 + i;
    writeListPointer(added, pointerAt * WORD, textAt - (pointerAt + 1), 2, text.length); // bytes
    text.copy(added, textAt * WORD);
    textAt += textWords[i];
  });
  // Far pointer: landing pad at word 0 of the new segment.
  first.writeUInt32LE(2, slot);
  first.writeUInt32LE(segments.length, slot + 4);
  return frame([...segments, added]);
}

/**
 * From now on, every workerd this process spawns (through miniflare) gets `flags`, and its stdout
 * and stderr lines also go to `onLine(pid, line)`. Returns a function that undoes the patch.
 * @param {string[]} flags
 * @param {(pid: number, line: string) => void} [onLine]
 * @returns {() => void}
 */
export function giveWorkerdV8Flags(flags, onLine = () => {}) {
  const spawn = childProcess.spawn;
  childProcess.spawn = function patched(command, args, options) {
    if (!/workerd/.test(String(command)) || !args?.includes?.("serve")) return spawn.call(this, command, args, options);
    // V8 prints its trace with stdio, which a pipe buffers in blocks until exit: `stdbuf` makes
    // workerd's stdout line-buffered, so that each collection arrives when it happens.
    const child = existsSync(STDBUF)
      ? spawn.call(this, STDBUF, ["-oL", "-eL", command, ...args], options)
      : spawn.call(this, command, args, options);
    const write = child.stdin.write.bind(child.stdin);
    let amended = false;
    child.stdin.write = (chunk, ...rest) => {
      if (!amended && Buffer.isBuffer(chunk)) {
        amended = true;
        return write(withV8Flags(chunk, flags), ...rest);
      }
      return write(chunk, ...rest);
    };
    for (const stream of [child.stdout, child.stderr]) {
      let rest = "";
      stream?.on("data", (data) => {
        const lines = (rest + data.toString("utf8")).split("\n");
        rest = lines.pop();
        for (const line of lines) onLine(child.pid, line);
      });
    }
    return child;
  };
  return () => {
    childProcess.spawn = spawn;
  };
}

// `--trace-gc` lines: `[pid:0xisolate]  1234 ms: Scavenge 12.3 (20.1) -> 8.4 (20.6) MB, ...`
// (MB used, and in parentheses committed, before -> after the collection).
const GC_LINE = /\[(\d+):(0x[0-9a-f]+)(?::\d+)?\]\s+([\d.]+) ms: ([A-Za-z][A-Za-z -]*?)(?: \([^)]*\))? ([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/;

/** One collection from a `--trace-gc` line, or null for any other line. Sizes in MB as V8 prints them. */
export function parseGcLine(line) {
  const m = GC_LINE.exec(line);
  if (!m) return null;
  const [, pid, isolate, ms, kind, used, committed, usedAfter, committedAfter] = m;
  return {
    pid: Number(pid),
    isolate,
    ms: Number(ms),
    kind: kind.trim(),
    full: /Mark-Compact|Mark-Sweep-Compact/.test(kind),
    used: Number(used),
    committed: Number(committed),
    usedAfter: Number(usedAfter),
    committedAfter: Number(committedAfter),
  };
}

/**
 * The heap of the isolate that collected most often among `events` (during a download, the one
 * that ran the export): collections, full ones, the most used and committed, and what a full
 * collection left (the live heap). Null without events.
 */
export function busiestIsolateHeap(events) {
  const by = new Map();
  for (const e of events) {
    if (!by.has(e.isolate)) by.set(e.isolate, []);
    by.get(e.isolate).push(e);
  }
  const [isolate, own] = [...by.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
  if (!own) return null;
  const full = own.filter((e) => e.full);
  return {
    isolate,
    isolates: by.size,
    collections: own.length,
    full: full.length,
    peakUsed: Math.max(...own.map((e) => e.used)),
    peakCommitted: Math.max(...own.map((e) => Math.max(e.committed, e.committedAfter))),
    liveAfterFull: full.length > 0 ? { min: Math.min(...full.map((e) => e.usedAfter)), max: Math.max(...full.map((e) => e.usedAfter)) } : null,
  };
}
