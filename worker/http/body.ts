import type { z } from "zod";
import { findBoundViolation } from "../../schemas/limits";
import { type ApiError, apiError, describeZodError } from "./errors";

/** Content codings a body may be sent with, by their `Content-Encoding` name. */
const DECODERS: Record<string, "gzip" | "deflate" | null> = { "": null, identity: null, gzip: "gzip", "x-gzip": "gzip", deflate: "deflate" };

/**
 * How much of an oversized body is read and thrown away after the 413 is decided. Draining lets
 * the client's connection be reused cleanly: workerd, when a handler cancels a chunked body it has
 * only partly read, drops the connection, and a workerd that forwarded the request (wrangler dev's
 * proxy) reuses it for the next request, which then fails (docs/collector.md, "Limits"). A body
 * larger than this is cancelled, so an endless one cannot hold the worker.
 */
export const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Reads the request body, decoded as its `Content-Encoding` says (gzip or deflate; another coding
 * is a 415), refusing more than `maxBytes` of it as sent or as decoded (413), so a small
 * compressed body cannot expand without bound.
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const encoding = (request.headers.get("content-encoding") ?? "").trim().toLowerCase();
  if (!(encoding in DECODERS)) {
    throw apiError(415, `Content-Encoding "${encoding}" is not supported: send the body as is, or with gzip or deflate`);
  }
  const tooLarge = () => apiError(413, `request body is larger than the limit of ${maxBytes} bytes${encoding ? " (decompressed)" : ""}`);
  const declared = request.headers.get("content-length");
  if (Number(declared ?? "0") > maxBytes) throw tooLarge();
  const raw = request.body;
  if (raw === null) return new Uint8Array(0);
  const format = DECODERS[encoding] ?? null;
  // A plain body of a declared length within the limit (what senders send): read in one call,
  // which costs a fraction of reading it chunk by chunk; the runtime holds it to that length.
  if (format === null && declared !== null && /^\d+$/.test(declared.trim())) {
    try {
      return new Uint8Array(await request.arrayBuffer());
    } catch {
      throw apiError(400, "request body could not be read to the end");
    }
  }
  let decoded: ReadableStream<Uint8Array> = raw;
  let piping: Promise<void> = Promise.resolve();
  if (format !== null) {
    const decoder = new DecompressionStream(format);
    // preventCancel: when the decoded side is given up, the body itself is drained, not cancelled.
    piping = raw.pipeTo(decoder.writable, { preventCancel: true }).catch(() => undefined);
    decoded = decoder.readable;
  }
  const reader = decoded.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const giveUp = async (error: ApiError) => {
    if (format === null) reader.releaseLock();
    else await reader.cancel().catch(() => undefined);
    await piping;
    await drain(raw);
    return error;
  };
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
    } catch {
      if (format === null) throw apiError(400, "request body could not be read to the end");
      throw await giveUp(apiError(400, `request body is not valid ${encoding} data`));
    }
    if (read.done) break;
    size += read.value.byteLength;
    if (size > maxBytes) throw await giveUp(tooLarge());
    chunks.push(read.value);
  }
  return concat(chunks, size);
}

/** Reads and discards the rest of `stream`, up to DRAIN_LIMIT_BYTES; past that, cancels it. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<void> {
  if (stream.locked) return;
  const reader = stream.getReader();
  let drained = 0;
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      drained += read.value.byteLength;
      if (drained > DRAIN_LIMIT_BYTES) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The client went away: nothing left to drain.
  }
}

/** Reads the request body as JSON, refusing more than `maxBytes` (413) and non-JSON (400). */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const bytes = await readBodyBytes(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw apiError(400, "request body is not valid UTF-8");
  }
  if (text.trim() === "") throw apiError(400, "request body is empty: expected a JSON object");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw apiError(400, `request body is not valid JSON: ${(error as Error).message}`);
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Reads, bounds and validates a JSON object body against a wire schema; a 400 names the failing fields. */
export async function parseJsonBody<S extends z.ZodType>(request: Request, schema: S, maxBytes: number): Promise<z.infer<S>> {
  const value = await readJsonBody(request, maxBytes);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw apiError(400, `request body must be a JSON object, not ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`);
  }
  const violation = findBoundViolation(value);
  if (violation) throw apiError(400, `invalid request: ${violation.path || "body"}: ${violation.message}`);
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw apiError(400, describeZodError(result.error));
  return result.data;
}
