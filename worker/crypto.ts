// Tokens and secrets: random generation, hashing for storage, constant-time comparison, and the
// installation tokens an object issues without storing them.

const toHex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** SHA-256, hex. Only this is ever stored for a bound token. */
export async function sha256Hex(value: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value)));
}

/** Compares two secrets in time independent of where they differ (digests make lengths equal). */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const encode = (s: string) => crypto.subtle.digest("SHA-256", new TextEncoder().encode(s));
  const [da, db] = await Promise.all([encode(a), encode(b)]);
  return crypto.subtle.timingSafeEqual(da, db);
}

// An installation token is 256 fresh random bits, the time it was issued, and a MAC over both
// under the installation's own key:
//
//   random (32 bytes) ‖ issued_at, ms, big-endian (6 bytes) ‖ HMAC-SHA-256(key, the 38 before)[0..16]
//
// 54 bytes, 72 base64url characters. The object checks a presented token with its key, so issuing
// one writes nothing: a legacy sender gets a fresh token with every write at no storage cost.
// Replacing the key (on binding, rotation or clearing) voids every token issued before.
const RANDOM_BYTES = 32;
const TIME_BYTES = 6;
const MAC_BYTES = 16;
const TOKEN_BYTES = RANDOM_BYTES + TIME_BYTES + MAC_BYTES;
export const INSTALLATION_TOKEN_LENGTH = (TOKEN_BYTES / 3) * 4;

/** A new random key for an installation's tokens (stored in its object, never sent). */
export const generateTokenKey = (): Uint8Array => crypto.getRandomValues(new Uint8Array(32));

export const importTokenKey = (raw: Uint8Array): Promise<CryptoKey> =>
  crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);

async function macOf(key: CryptoKey, signed: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, signed)).subarray(0, MAC_BYTES);
}

export async function issueInstallationToken(key: CryptoKey, issuedAt: number): Promise<string> {
  const bytes = new Uint8Array(TOKEN_BYTES);
  crypto.getRandomValues(bytes.subarray(0, RANDOM_BYTES));
  new DataView(bytes.buffer).setUint16(RANDOM_BYTES, Math.floor(issuedAt / 2 ** 32));
  new DataView(bytes.buffer).setUint32(RANDOM_BYTES + 2, issuedAt % 2 ** 32);
  const signed = bytes.subarray(0, RANDOM_BYTES + TIME_BYTES);
  bytes.set(await macOf(key, signed), RANDOM_BYTES + TIME_BYTES);
  return toBase64Url(bytes);
}

/** When `token` was issued under `key`, or null if it was not (forged, altered, another key). */
export async function issuedAtOf(key: CryptoKey, token: string): Promise<number | null> {
  if (token.length !== INSTALLATION_TOKEN_LENGTH) return null;
  const bytes = fromBase64Url(token);
  if (bytes === null || bytes.length !== TOKEN_BYTES) return null;
  const signed = bytes.subarray(0, RANDOM_BYTES + TIME_BYTES);
  const expected = await macOf(key, signed);
  if (!crypto.subtle.timingSafeEqual(expected, bytes.subarray(RANDOM_BYTES + TIME_BYTES))) return null;
  const view = new DataView(bytes.buffer);
  return view.getUint16(RANDOM_BYTES) * 2 ** 32 + view.getUint32(RANDOM_BYTES + 2);
}
