import type { z } from "zod";
import { findBoundViolation } from "../../schemas/limits";
import { apiError, describeZodError } from "./errors";

/** Reads the request body as JSON, refusing more than `maxBytes` (413) and non-JSON (400). */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = () => apiError(413, `request body is larger than the limit of ${maxBytes} bytes`);
  if (declared > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(read.value);
    }
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(concat(chunks, size));
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
