// Mailing-list archives → `email` records. Mailman 2 (pipermail) publishes an index page linking
// monthly `.txt.gz` archives whose messages keep a few headers with addresses written `x at y`;
// Mailman 3 (HyperKitty) exports a month as a real mbox, with MIME bodies and encoded headers.
import { RECORD_TEXT_LIMITS, type RawRecord } from "../../../../schemas/contrib/records";
import { UNKNOWN_MODULE, canonicalModule } from "../modules";
import { SourceFormatError, isValidEmail, truncate } from "./common";

export interface MailMessage {
  from_email: string;
  from_name: string;
  /** Seconds since the epoch, or null when the Date header is missing or unreadable. */
  date: number | null;
  subject: string;
  /** Without its angle brackets; "" when the message has none. */
  message_id: string;
  /** The plain text: the first text/plain part of a MIME message, decoded. */
  body: string;
}

export interface MailContext {
  modules: readonly string[];
  aliases: ReadonlyMap<string, string>;
  mailingList: string;
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
/** The records' upper bound on times (2100). */
const MAX_SECONDS = 4_102_444_800;

/**
 * Sort key of an archive's period: pipermail names archives by month (`2012-July`), and, when a
 * list is set up so, by quarter (`2012q3`), week (`Week-of-Mon-20120716`) or day (`20120717`).
 */
function archivePeriod(url: string): number {
  const name = url.slice(url.lastIndexOf("/") + 1).toLowerCase();
  const month = /(\d{4})-([a-z]+)/.exec(name);
  if (month && MONTHS.includes(month[2]!)) return Number(month[1]) * 10_000 + (MONTHS.indexOf(month[2]!) + 1) * 100;
  const quarter = /(\d{4})q([1-4])/.exec(name);
  if (quarter) return Number(quarter[1]) * 10_000 + (Number(quarter[2]) * 3 - 2) * 100;
  const day = /(\d{4})(\d{2})(\d{2})/.exec(name);
  if (day) return Number(day[1]) * 10_000 + Number(day[2]) * 100 + Number(day[3]);
  return Number.MAX_SAFE_INTEGER;
}

/**
 * The monthly `.txt.gz` archives an index page links to, as absolute URLs, oldest first. A base
 * URL without a trailing slash is taken as the list's folder, as pipermail serves it.
 */
export function parsePipermailIndex(html: string, indexUrl: string): string[] {
  const lastSegment = new URL(indexUrl).pathname.split("/").pop() ?? "";
  const base = lastSegment && !lastSegment.includes(".") ? `${indexUrl.replace(/[?#].*$/, "")}/` : indexUrl;
  const urls = new Set<string>();
  for (const match of html.matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    const href = (match[1] ?? match[2] ?? match[3] ?? "").trim();
    if (!/\.txt\.gz$/i.test(href)) continue;
    urls.add(new URL(href, base).href);
  }
  return [...urls].sort((a, b) => archivePeriod(a) - archivePeriod(b));
}

/**
 * A message's first line: `From <sender> <asctime>`. Pipermail writes the sender `x at y` and pads
 * with two spaces; the asctime is required so that a body line starting "From " is not taken.
 */
const SEPARATOR = /^From (\S+(?: at \S+)?)\s+[A-Z][a-z]{2}\s+[A-Z][a-z]{2}\s+\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?\s/;

/** The messages of an mbox, pipermail's `.txt` or a HyperKitty export, in file order. */
export function parseMbox(text: string): MailMessage[] {
  const messages: MailMessage[] = [];
  let sender: string | null = null;
  let lines: string[] = [];
  const flush = () => {
    if (sender !== null) messages.push(parseMessage(sender, lines));
  };
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    const separator = SEPARATOR.exec(line);
    if (separator) {
      flush();
      sender = separator[1]!;
      lines = [];
    } else {
      lines.push(line);
    }
  }
  flush();
  return messages;
}

/**
 * The messages of a monthly archive as a server sent it. An archive is empty or begins with a
 * separator line; anything else (an HTML error or login page served in its place) is not one.
 */
export function parseMboxArchive(text: string, source: string): MailMessage[] {
  const start = text.replace(/^\s+/, "");
  if (start !== "" && !SEPARATOR.test(start)) {
    throw new SourceFormatError(source, `not an mbox archive; it began with ${JSON.stringify(start.slice(0, 80))}`);
  }
  return parseMbox(text);
}

interface Entity {
  headers: Map<string, string>;
  body: string;
}

/** Headers (names lower-cased, first occurrence wins, folded lines unfolded) and the body after the blank line. */
function splitEntity(lines: readonly string[]): Entity {
  const headers = new Map<string, string>();
  let name: string | null = null;
  let index = 0;
  for (; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === "") break;
    if (/^[ \t]/.test(line)) {
      if (name !== null && headers.get(name) !== undefined) headers.set(name, `${headers.get(name)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    name = line.slice(0, colon).trim().toLowerCase();
    if (headers.has(name)) name = null;
    else headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body: lines.slice(index + 1).join("\n") };
}

function parseMessage(sender: string, lines: readonly string[]): MailMessage {
  // mbox writers escape body lines starting "From " as ">From "; undo one level.
  const { headers, body } = splitEntity(lines.map((l) => l.replace(/^>(>*From )/, "$1")));
  const from = parseFrom(headers.get("from") ?? sender);
  return {
    from_email: from.email,
    from_name: from.name,
    date: parseMailDate(headers.get("date")),
    subject: decodeEncodedWords(headers.get("subject") ?? "").replace(/\s+/g, " ").trim(),
    message_id: parseMessageId(headers.get("message-id")),
    body: (plainText(headers, body, 0) ?? "").replace(/\n+$/, ""),
  };
}

/** `Name <x@y>`, `"Name" <x@y>`, `x@y (Name)`, pipermail's `x at y (Name)`, or a bare address. */
function parseFrom(value: string): { email: string; name: string } {
  let address = value;
  let name = "";
  const angle = /^(.*)<([^>]*)>\s*$/.exec(value);
  const comment = /^(\S+(?:\s+at\s+\S+)?)\s*\((.*)\)\s*$/.exec(value);
  if (angle) [address, name] = [angle[2]!, angle[1]!];
  else if (comment) [address, name] = [comment[1]!, comment[2]!];
  const unquoted = name.trim().replace(/^"(.*)"$/, "$1").replace(/\\(.)/g, "$1");
  return {
    email: address.trim().replace(/\s+at\s+/, "@"),
    name: decodeEncodedWords(unquoted).replace(/\s+/g, " ").trim(),
  };
}

/** RFC 2822 date; a zone comment such as `(PDT)` is dropped, and a date without a zone is UTC. */
function parseMailDate(value: string | undefined): number | null {
  if (!value) return null;
  let text = value.replace(/\([^)]*\)/g, " ").replace(/\s+/g, " ").trim();
  if (!/(?:[+-]\d{4}|\b[A-Z]{1,4})$/i.test(text)) text += " +0000";
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) return null;
  const seconds = Math.floor(ms / 1000);
  return seconds >= 0 && seconds <= MAX_SECONDS ? seconds : null;
}

function parseMessageId(value: string | undefined): string {
  if (!value) return "";
  const bracketed = /<([^>]*)>/.exec(value);
  return (bracketed ? bracketed[1]! : value).trim();
}

function parseContentType(value: string | undefined): { mime: string; params: Map<string, string> } {
  const text = value ?? "text/plain";
  const params = new Map<string, string>();
  for (const match of text.matchAll(/;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g)) {
    params.set(match[1]!.toLowerCase(), match[2] ?? match[3] ?? "");
  }
  return { mime: (text.split(";")[0] ?? "").trim().toLowerCase() || "text/plain", params };
}

/** The parts between `--boundary` lines, up to `--boundary--`. */
function multipartParts(body: string, boundary: string): string[][] {
  const parts: string[][] = [];
  let current: string[] | null = null;
  for (const line of body.split("\n")) {
    const trimmed = line.trimEnd();
    if (trimmed === `--${boundary}--`) break;
    if (trimmed === `--${boundary}`) {
      if (current) parts.push(current);
      current = [];
    } else {
      current?.push(line);
    }
  }
  if (current) parts.push(current);
  return parts;
}

/** The first inline text/plain entity's text, searching multiparts depth first; null if there is none. */
function plainText(headers: Map<string, string>, body: string, depth: number): string | null {
  const type = parseContentType(headers.get("content-type"));
  if (type.mime.startsWith("multipart/")) {
    const boundary = type.params.get("boundary");
    if (!boundary || depth > 8) return null;
    for (const part of multipartParts(body, boundary)) {
      const entity = splitEntity(part);
      const text = plainText(entity.headers, entity.body, depth + 1);
      if (text !== null) return text;
    }
    return null;
  }
  if (type.mime !== "text/plain" || /^\s*attachment/i.test(headers.get("content-disposition") ?? "")) return null;
  return decodeTransfer(body, headers.get("content-transfer-encoding"), type.params.get("charset") ?? "us-ascii");
}

function decodeTransfer(body: string, encoding: string | undefined, charset: string): string {
  switch ((encoding ?? "").trim().toLowerCase()) {
    case "quoted-printable":
      return decodeBytes(quotedPrintableBytes(body.replace(/=[ \t]*\n/g, "")), charset);
    case "base64":
      return decodeBytes(base64Bytes(body), charset).replace(/\r\n?/g, "\n");
    default:
      // 7bit and 8bit text reached us already decoded with the archive.
      return body;
  }
}

/** `=XX` escapes to bytes; other characters as their UTF-8 (they should be ASCII). */
function quotedPrintableBytes(text: string): Uint8Array {
  const raw = new TextEncoder().encode(text);
  const out: number[] = [];
  const hex = (byte: number) => (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 70) || (byte >= 97 && byte <= 102);
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 61 && i + 2 < raw.length && hex(raw[i + 1]!) && hex(raw[i + 2]!)) {
      out.push(parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16));
      i += 2;
    } else {
      out.push(raw[i]!);
    }
  }
  return Uint8Array.from(out);
}

function base64Bytes(text: string): Uint8Array {
  try {
    return Uint8Array.from(atob(text.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  } catch {
    return new Uint8Array();
  }
}

/** Windows-1252's characters for bytes 0x80–0x9F (the rest of it is Latin-1). */
const CP1252_HIGH = "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";
const LATIN1_LABELS = /^(us-ascii|ascii|latin-?1|l1|iso[-_]?8859-1|iso_8859-1:1987|(windows|cp)-?1252)$/;

/**
 * Bytes in a charset. The Latin-1 family is read as Windows-1252, as browsers do (mailers label
 * cp1252 text iso-8859-1), by our own table because runtimes differ there; a charset the runtime
 * does not know is read as UTF-8.
 */
function decodeBytes(bytes: Uint8Array, charset: string): string {
  const label = charset.trim().toLowerCase();
  if (LATIN1_LABELS.test(label)) return Array.from(bytes, (b) => (b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80]! : String.fromCharCode(b))).join("");
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder().decode(bytes);
  }
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/**
 * RFC 2047 encoded words (`=?utf-8?q?…?=`, `=?utf-8?b?…?=`) decoded. Whitespace between two
 * encoded words is dropped, and adjacent words of one charset are decoded together because some
 * mailers split a multi-byte character across them.
 */
export function decodeEncodedWords(text: string): string {
  let out = "";
  let last = 0;
  let pending: { charset: string; bytes: number[] } | null = null;
  const flush = () => {
    if (pending) out += decodeBytes(Uint8Array.from(pending.bytes), pending.charset);
    pending = null;
  };
  for (const match of text.matchAll(ENCODED_WORD)) {
    const gap = text.slice(last, match.index);
    if (!(pending && /^\s*$/.test(gap))) {
      flush();
      out += gap;
    }
    const charset = match[1]!.split("*")[0]!.toLowerCase();
    const data = match[3]!;
    const bytes = match[2]!.toLowerCase() === "b" ? base64Bytes(data) : quotedPrintableBytes(data.replace(/_/g, " "));
    if (pending && pending.charset !== charset) flush();
    pending ??= { charset, bytes: [] };
    pending.bytes.push(...bytes);
    last = match.index + match[0].length;
  }
  flush();
  return out + text.slice(last);
}

const namesCache = new WeakMap<readonly string[], WeakMap<ReadonlyMap<string, string>, string[]>>();

/**
 * The names a subject is searched for: modules and alias names, without any name that contains a
 * shorter one (`python-novaclient` goes when `nova` is there, so its subjects count for nova).
 * Memoised per (modules, aliases), as a run guesses for thousands of messages with the same ones.
 */
function subjectNames(modules: readonly string[], aliases: ReadonlyMap<string, string>): string[] {
  let byAliases = namesCache.get(modules);
  if (!byAliases) namesCache.set(modules, (byAliases = new WeakMap()));
  let names = byAliases.get(aliases);
  if (!names) {
    const all = [...new Set([...modules, ...aliases.keys()].map((m) => m.toLowerCase()).filter(Boolean))];
    names = all.filter((name) => !all.some((other) => other.length < name.length && name.includes(other)));
    byAliases.set(aliases, names);
  }
  return names;
}

/**
 * The module of a message: the name found earliest in its subject when it is tagged (`[nova]`) or
 * the body named no module; else the body's module (a blueprint link's); else `unknown`.
 */
export function guessModule(subject: string, bodyModule: string | null, modules: readonly string[], aliases: ReadonlyMap<string, string>): string {
  const lower = subject.toLowerCase();
  let found: { name: string; at: number } | null = null;
  for (const name of subjectNames(modules, aliases)) {
    const at = lower.indexOf(name);
    if (at >= 0 && (!found || at < found.at)) found = { name, at };
  }
  if (found && (lower[found.at - 1] === "[" || !bodyModule)) return canonicalModule(aliases, found.name);
  if (bodyModule) return canonicalModule(aliases, bodyModule);
  return UNKNOWN_MODULE;
}

const BUG_LINK = /https?:\/\/bugs\.launchpad\.net\/(?:bugs\/|[^\s/]+\/(?:[^\s/]+\/)?\+bug\/)(\d+)/g;
const BLUEPRINT_LINK = /https?:\/\/blueprints\.launchpad\.net\/([^\s/]+)\/\+spec\/([A-Za-z0-9][A-Za-z0-9+.-]*)/g;

const unique = (values: string[]) => [...new Set(values)];

function bugIds(body: string): string[] {
  return unique([...body.matchAll(BUG_LINK)].map((m) => m[1]!)).slice(0, 64);
}

/** `[module, name]` of each blueprint link; a sentence's closing dot is not part of the name. */
function blueprintLinks(body: string): Array<[string, string]> {
  return [...body.matchAll(BLUEPRINT_LINK)].map((m) => [m[1]!.toLowerCase(), m[2]!.replace(/\.+$/, "").toLowerCase()]);
}

/** The body without quoted lines and `--------` delimiters, runs of identical lines collapsed. */
export function cleanBody(body: string): string {
  const kept = body
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => !/^\s*>/.test(line) && !/^\s*-{8,}/.test(line));
  return kept
    .filter((line, i) => i === 0 || line !== kept[i - 1])
    .join("\n")
    .trim();
}

/** The `email` record of a message, or null without a valid sender address, a date or a Message-ID. */
export function emailRecord(message: MailMessage, ctx: MailContext): RawRecord | null {
  const email = message.from_email.trim().toLowerCase();
  const messageId = message.message_id.trim();
  // The Message-ID is the primary key, whose bound is 512 characters.
  if (!isValidEmail(email) || message.date === null || !messageId || messageId.length > 512) return null;
  const blueprints = blueprintLinks(message.body);
  const bodyModule = blueprints[0] ? canonicalModule(ctx.aliases, blueprints[0][0]) : null;
  const bugs = bugIds(message.body);
  const blueprintIds = unique(blueprints.map(([module, name]) => `${module}:${name}`)).slice(0, 64);
  const name = message.from_name.trim();
  return {
    primary_key: messageId,
    record_type: "email",
    date: message.date,
    author_email: email,
    ...(name ? { author_name: truncate(name, 256) } : {}),
    module: guessModule(message.subject, bodyModule, ctx.modules, ctx.aliases),
    subject: truncate(message.subject, RECORD_TEXT_LIMITS.subject),
    message_id: messageId,
    mailing_list: truncate(ctx.mailingList, 256),
    ...(bugs.length ? { bug_id: bugs } : {}),
    ...(blueprintIds.length ? { blueprint_id: blueprintIds, body: truncate(cleanBody(message.body), RECORD_TEXT_LIMITS.body) } : {}),
  };
}
