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

const printable = (s: string) => {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 128 || PRIMARY[code] === 0) return false;
  }
  return true;
};

/** Negative, zero or positive as `a.localeCompare(b)` is (the same sign, not the same number). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (!printable(a) || !printable(b)) return a.localeCompare(b);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = PRIMARY[a.charCodeAt(i)]! - PRIMARY[b.charCodeAt(i)]!;
    if (d !== 0) return d;
  }
  if (a.length !== b.length) return a.length - b.length;
  // The same letters in other cases: the first difference decides, lower case first.
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x > y ? -1 : 1;
  }
  return 0;
}
