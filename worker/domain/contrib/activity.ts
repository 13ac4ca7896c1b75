// A record as `/api/1.0/activity` shows it (reference §5.2, "Activity record extensions"): links to
// the person, company and module, readable dates, a mark's review and patch set, a commit's
// message as HTML with its bugs, blueprints and Change-Ids linked.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `17 Jul 2012 07:30:43 UTC` */
export function dateStr(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${String(d.getUTCDate()).padStart(2, "0")} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)} UTC`;
}

const escapeHtml = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/**
 * A commit message as HTML: escaped, wrapped lines joined, bug numbers (5–7 digits after "bug")
 * linked to Launchpad, "blueprint <name>" to the module's blueprint, Change-Ids to their review.
 */
export function messageHtml(message: string, module: string, gerritUrl: string | null): string {
  return escapeHtml(message)
    .replace(/([^\n])\n(?=[^\n])/g, "$1 ")
    .replace(/\b(bug[\s#:]*)(\d{5,7})\b/gi, '$1<a href="https://bugs.launchpad.net/bugs/$2">$2</a>')
    .replace(/\b((?:blueprint|bp)\b[\s#:]*)([a-z0-9-]+)/gi, (_all, word: string, name: string) => `${word}<a href="https://blueprints.launchpad.net/${module}/+spec/${name.toLowerCase()}">${name}</a>`)
    .replace(/\b(I[0-9a-f]{40})\b/g, (id) => (gerritUrl ? `<a href="${gerritUrl}/#/q/${id}">${id}</a>` : id))
    .replace(/\n/g, "<br>");
}

/** `Bug #1458945 in Sahara: "Use graduated oslo.policy"` → `Use graduated oslo.policy`. */
export const bugTitle = (title: string) => /^Bug #\d+ in [^:]+: "(.*)"$/s.exec(title)?.[1] ?? title;

const prefixed = (prefix: string, record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [`${prefix}${k}`, v]));

export interface ActivityContext {
  /** The review and the patch set a mark or patch belongs to, by primary key. */
  parents: ReadonlyMap<string, Record<string, unknown>>;
  /** A module's Gerrit web address, for Change-Id links. */
  gerritOf: (module: string) => string | null;
}

/** The record with the dashboard's fields; null for a mark or patch whose review or patch set is not stored. */
export function activityRecord(fields: Record<string, unknown>, ctx: ActivityContext): Record<string, unknown> | null {
  const type = fields.record_type as string;
  const module = String(fields.module);
  const out: Record<string, unknown> = {
    ...fields,
    author_link: { uri: `/?user_id=${encodeURIComponent(String(fields.user_id))}`, title: fields.author_name },
    company_link: { uri: `/?company=${encodeURIComponent(String(fields.company_name))}`, title: fields.company_name },
    module_link: { uri: `/?module=${encodeURIComponent(module)}`, title: module },
    date_str: dateStr(Number(fields.date)),
    blueprint_id_count: Array.isArray(fields.blueprint_id) ? fields.blueprint_id.length : 0,
    bug_id_count: Array.isArray(fields.bug_id) ? fields.bug_id.length : 0,
  };
  if (type === "mark" || type === "patch") {
    const review = ctx.parents.get(String(fields.review_id));
    if (!review) return null;
    Object.assign(out, prefixed("parent_", review));
    if (type === "mark") {
      const patch = ctx.parents.get(`${fields.review_id}:${fields.patch}`);
      if (!patch) return null;
      Object.assign(out, prefixed("patch_", patch));
    }
  }
  if (type === "commit") {
    out.branches = Array.isArray(fields.branches) ? fields.branches.join(",") : fields.branch;
    out.message = messageHtml(String(fields.message ?? ""), module, ctx.gerritOf(module));
    out.commit_date_str = dateStr(Number(fields.commit_date ?? fields.date));
  }
  if (type === "bugf" || type === "bugr") {
    out.title = bugTitle(String(fields.title ?? ""));
    out.status_class = String(fields.status ?? "").toLowerCase().replace(/[^a-z]+/g, "-");
  }
  if (type === "bpd" || type === "bpc") {
    const [bpModule, name] = String(fields.id ?? "").split(":");
    out.blueprint_link = `/report/blueprint/${bpModule}/${name}`;
    out.mention_date_str = fields.mention_date ? dateStr(Number(fields.mention_date)) : "never";
  }
  if (type === "email") {
    out.blueprint_links = (Array.isArray(fields.blueprint_id) ? (fields.blueprint_id as string[]) : []).map((id) => {
      const [bpModule, name] = id.split(":");
      return `/report/blueprint/${bpModule}/${name}`;
    });
  }
  return out;
}
