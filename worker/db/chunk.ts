/**
 * Splits items into chunks bounded by count and by serialised size, so that one JSON parameter
 * stays well under D1's 2 MB value limit and each statement stays cheap to roll back.
 */
export function chunkJson<T>(items: readonly T[], maxItems: number, maxChars: number): string[] {
  return chunkJsonTexts(
    items.map((item) => JSON.stringify(item)),
    maxItems,
    maxChars,
  );
}

/** chunkJson of items already serialised, one JSON text each: the chunks are JSON arrays of them. */
export function chunkJsonTexts(texts: readonly string[], maxItems: number, maxChars: number): string[] {
  const chunks: string[] = [];
  let parts: string[] = [];
  let size = 2;
  for (const json of texts) {
    if (parts.length > 0 && (parts.length >= maxItems || size + json.length + 1 > maxChars)) {
      chunks.push(`[${parts.join(",")}]`);
      parts = [];
      size = 2;
    }
    parts.push(json);
    size += json.length + 1;
  }
  if (parts.length > 0) chunks.push(`[${parts.join(",")}]`);
  return chunks;
}
