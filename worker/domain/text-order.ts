// The order of String.prototype.localeCompare (the root collation: case-insensitive first, then
// lower case before upper; spaces and punctuation before digits before letters), computed without
// ICU for printable ASCII. An isolate's first localeCompare loads ICU's collator, 10–15 ms of
// CPU, which a ranking's first answer after a start paid; names are almost always ASCII. Anything
// else is left to localeCompare itself, so the order is the same whatever the text.

/** Printable ASCII in the root collation's primary order; a letter stands for both its cases. */
const PRIMARY_ORDER = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";

/** Primary weight per ASCII code (1-based), 0 for the codes left to localeCompare (controls, DEL). */
const PRIMARY = new Uint8Array(128);
for (let i = 0; i < PRIMARY_ORDER.length; i++) {
  const code = PRIMARY_ORDER.charCodeAt(i);
  PRIMARY[code] = i + 1;
  if (code >= 0x61 && code <= 0x7a) PRIMARY[code - 0x20] = i + 1;
}

/** Whether `s` is printable ASCII, which comparePlain orders. */
export function isPlainText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 128 || PRIMARY[code] === 0) return false;
  }
  return true;
}

/** Two plain texts (isPlainText) in localeCompare's order: negative, zero or positive as it is. */
export function comparePlain(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const d = PRIMARY[x]! - PRIMARY[y]!;
      if (d !== 0) return d;
    }
  }
  if (a.length !== b.length) return a.length - b.length;
  // The same letters in other cases (or the same text): the first difference decides, lower case first.
  return a === b ? 0 : a > b ? -1 : 1;
}

/** Negative, zero or positive as `a.localeCompare(b)` is (the same sign, not the same number). */
export const compareText = (a: string, b: string): number => (isPlainText(a) && isPlainText(b) ? comparePlain(a, b) : a.localeCompare(b));

/**
 * A comparator in localeCompare's order for sorting these texts: comparePlain when all are plain
 * (checked once here, not at each comparison), else localeCompare itself.
 */
export function textOrderOf(texts: Iterable<string>): (a: string, b: string) => number {
  for (const t of texts) if (!isPlainText(t)) return (a, b) => a.localeCompare(b);
  return comparePlain;
}
