// The ustar format (POSIX.1-1988), as much of it as a bundle of regular files needs: a 512-byte
// header per file, its bytes padded to 512, and two zero blocks at the end.

export const BLOCK = 512;

const encoder = new TextEncoder();

function put(header: Uint8Array, offset: number, length: number, text: string): void {
  const bytes = encoder.encode(text);
  if (bytes.length > length) throw new Error(`tar: "${text}" does not fit in ${length} bytes`);
  header.set(bytes, offset);
}

/** `value` in octal, zero-padded to `length - 1` digits and NUL-terminated. */
const octal = (value: number, length: number) => `${Math.floor(value).toString(8).padStart(length - 1, "0")}\0`;

/** The header of a regular file of `size` bytes; names up to 100 bytes (ours are short). */
export function tarHeader(name: string, size: number, mtimeSeconds: number): Uint8Array {
  if (size > 8 ** 11 - 1) throw new Error("tar: a file of 8 GiB or more needs the GNU size extension");
  const header = new Uint8Array(BLOCK);
  put(header, 0, 100, name);
  put(header, 100, 8, octal(0o644, 8));
  put(header, 108, 8, octal(0, 8));
  put(header, 116, 8, octal(0, 8));
  put(header, 124, 12, octal(size, 12));
  put(header, 136, 12, octal(mtimeSeconds, 12));
  put(header, 148, 8, "        "); // the checksum counts its own field as spaces
  put(header, 156, 1, "0");
  put(header, 257, 6, "ustar\0");
  put(header, 263, 2, "00");
  put(header, 265, 32, "edgestats");
  put(header, 297, 32, "edgestats");
  const sum = header.reduce((total, byte) => total + byte, 0);
  put(header, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return header;
}

/** Zero bytes that bring a file of `size` bytes to a whole number of blocks. */
export const tarPadding = (size: number) => new Uint8Array((BLOCK - (size % BLOCK)) % BLOCK);

/** The end of an archive. */
export const tarEnd = () => new Uint8Array(2 * BLOCK);
