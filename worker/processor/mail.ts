// Mailing-list archives. Mailman 2 (pipermail): the list's index links a gzip'd mbox per month; a
// month is downloaded again only when its Last-Modified changed. Mailman 3 (HyperKitty): one mbox
// export per month, from the first release's end onwards; the current and the previous month are
// read again on every run, since mail still arrives there.
import type { RawRecord } from "../../schemas/contrib/records";
import { SourceFormatError } from "../domain/contrib/sources/common";
import { emailRecord, parseMboxArchive, parsePipermailIndex } from "../domain/contrib/sources/mail";
import type { MailTarget } from "../domain/contrib/sources/plan";
import type { StepContext, StepFn } from "./kinds";

export interface PipermailCursor {
  /** Archive URL → the Last-Modified it had when it was read. */
  read: Record<string, string>;
  /** Archives still to read in this run, with the Last-Modified they will be stored under. */
  pending: [string, string][] | null;
}

export interface HyperkittyCursor {
  /** The first month (YYYY-MM) not yet read for good. */
  month: string;
}

/** Archives of the last months are asked about on every run; older ones do not change. */
const RECENT_MONTHS = 3;

/**
 * A monthly archive's text. A server that sends `.gz` files with `Content-Encoding: gzip` (Apache's
 * `AddEncoding x-gzip .gz`) has them decoded by fetch already, so only bytes that start as gzip
 * are gunzipped; bytes that are neither gzip nor an mbox fail as not the source's format.
 */
async function archiveText(bytes: Uint8Array, source: string): Promise<string> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new TextDecoder("utf-8").decode(bytes);
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return await new Response(stream).text();
  } catch (error) {
    throw new SourceFormatError(source, `not a readable gzip archive (${(error as Error).message})`);
  }
}

function mailContext(ctx: StepContext, target: MailTarget) {
  // The plan lists the modules of discovered repos too; a target planned before it did has none.
  const modules = target.modules ?? [...new Set(ctx.engine.config.repos.map((r) => r.module.toLowerCase()))];
  return { modules, aliases: ctx.engine.moduleAliases, mailingList: target.list };
}

/** The records of the archive at `url`. */
async function archiveRecords(ctx: StepContext, url: string, context: ReturnType<typeof mailContext>): Promise<RawRecord[]> {
  const text = await archiveText(await ctx.http.getBytes(url), url);
  return parseMboxArchive(text, url).flatMap((m) => {
    const record = emailRecord(m, context);
    return record ? [record] : [];
  });
}

/** `2024-March.txt.gz` → months before now, or null when the name carries no month. */
function monthsAgo(url: string, now: number): number | null {
  const m = /(\d{4})-([A-Za-z]+)\.txt(?:\.gz)?$/.exec(url);
  if (!m) return null;
  const month = new Date(`${m[2]} 1, ${m[1]} UTC`).getUTCMonth();
  if (Number.isNaN(month)) return null;
  const d = new Date(now);
  return (d.getUTCFullYear() - Number(m[1])) * 12 + d.getUTCMonth() - month;
}

export const pipermailStep: StepFn<MailTarget, PipermailCursor> = async (target, cursor, ctx) => {
  const read = { ...(cursor?.read ?? {}) };
  let pending = cursor?.pending ?? null;
  if (!pending) {
    const index = target.url.endsWith("/") ? target.url : `${target.url}/`;
    const archives = parsePipermailIndex(await ctx.http.getText(index), index);
    pending = [];
    for (const url of archives) {
      const age = monthsAgo(url, ctx.now);
      if (read[url] !== undefined && age !== null && age >= RECENT_MONTHS) continue;
      const head = await ctx.http.request(url, { method: "HEAD" });
      const modified = head.headers.get("last-modified") ?? "";
      if (read[url] === undefined || read[url] !== modified) pending.push([url, modified]);
    }
  }
  const records: RawRecord[] = [];
  const context = mailContext(ctx, target);
  for (let i = 0; i < ctx.settings.pagesPerStep && pending.length > 0; i++) {
    const [url, modified] = pending.shift()!;
    records.push(...(await archiveRecords(ctx, url, context)));
    read[url] = modified;
  }
  return { records, cursor: { read, pending: pending.length > 0 ? pending : null }, done: pending.length === 0 };
};

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
const nextMonth = (month: string) => {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
};

export const hyperkittyStep: StepFn<MailTarget, HyperkittyCursor> = async (target, cursor, ctx) => {
  const firstRelease = ctx.engine.releases[0];
  const start = monthOf((firstRelease?.end_date ?? ctx.now / 1000) * 1000);
  let month = cursor?.month ?? start;
  const current = monthOf(ctx.now);
  const base = target.url.endsWith("/") ? target.url : `${target.url}/`;
  const address = decodeURIComponent(base.replace(/\/+$/, "").split("/").at(-1)!);
  const records: RawRecord[] = [];
  const context = mailContext(ctx, target);
  let reached = month;
  for (let i = 0; i < ctx.settings.pagesPerStep && reached <= current; i++) {
    const end = nextMonth(reached);
    const url = `${base}export/${encodeURIComponent(`${address}-${reached}`)}.mbox.gz?start=${reached}-01&end=${end}-01`;
    records.push(...(await archiveRecords(ctx, url, context)));
    reached = end;
  }
  const done = reached > current;
  // The month before the current one is read again next run: mail dated late in it still arrives
  // (but never a month before the first release's end). Whether this step's walk began in it does
  // not matter: a walk that ended in the current month keeps the previous one too.
  const previous = monthOf(Date.UTC(Number(current.slice(0, 4)), Number(current.slice(5, 7)) - 2, 1));
  month = done ? (previous < start ? start : previous) : reached;
  return { records, cursor: { month }, done };
};
