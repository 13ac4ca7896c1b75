// Who an unknown author is, as Launchpad knows them (Stackalytics' user lookups, §2.9 steps 2–3):
// an email Launchpad has gives the person's Launchpad id; a Gerrit username is taken as a Launchpad
// id only when Launchpad has that id and its display name is the author's name. (Stackalytics took
// the id itself when Launchpad had no such person, so any unknown username "matched".) Answers are
// kept in D1, so each email and id is asked once; a step asks at most `lookupsPerStep` times.
import type { RawRecord } from "../../schemas/contrib/records";
import { type LaunchpadPerson, listLaunchpadPeople, listSettledKeys, storeLaunchpadPeople } from "../db/processor";
import { emailKey, idKey } from "../domain/contrib/profiles";
import { parseLaunchpadPerson } from "../domain/contrib/sources/launchpad";
import { HttpStatusError } from "./http-client";
import type { StepContext } from "./kinds";

const sameName = (a: string | undefined, b: string | null) => !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

/** The records with the Launchpad ids Launchpad gives their authors, where it gives one. */
export async function addLaunchpadIds(db: D1Database, records: readonly RawRecord[], ctx: StepContext): Promise<RawRecord[]> {
  const open = records.filter((r) => !r.launchpad_id && (r.author_email || r.gerrit_id));
  if (open.length === 0) return [...records];
  // Authors the config knows, or whose Launchpad id is known already, need no lookup.
  const settled = await listSettledKeys(db, open.flatMap((r) => [...(r.author_email ? [emailKey(r.author_email)] : []), ...(r.gerrit_id ? [idKey("gerrit_id", r.gerrit_id)] : [])]));
  const wanted = open.filter((r) => !(r.author_email && settled.has(emailKey(r.author_email))) && !(r.gerrit_id && settled.has(idKey("gerrit_id", r.gerrit_id))));
  const keys = [...new Set(wanted.flatMap((r) => [...(r.author_email ? [`email:${r.author_email.toLowerCase()}`] : []), ...(r.gerrit_id ? [`id:${r.gerrit_id}`] : [])]))];
  const known = await listLaunchpadPeople(db, keys);
  const asked = new Map<string, LaunchpadPerson>();
  for (const key of keys.filter((k) => !known.has(k)).slice(0, ctx.settings.lookupsPerStep)) asked.set(key, await ask(key, ctx));
  await storeLaunchpadPeople(db, asked, ctx.now);
  const answers = new Map([...known, ...asked]);

  return records.map((r) => {
    if (r.launchpad_id) return r;
    const byEmail = r.author_email ? answers.get(`email:${r.author_email.toLowerCase()}`) : undefined;
    if (byEmail?.launchpadId) return { ...r, launchpad_id: byEmail.launchpadId, author_name: r.author_name ?? byEmail.displayName ?? undefined };
    const byId = r.gerrit_id ? answers.get(`id:${r.gerrit_id}`) : undefined;
    if (byId?.launchpadId && sameName(r.author_name, byId.displayName)) return { ...r, launchpad_id: byId.launchpadId };
    return r;
  });
}

async function ask(key: string, ctx: StepContext): Promise<LaunchpadPerson> {
  const [kind, value] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
  const url =
    kind === "email"
      ? `${ctx.settings.launchpadApi}/1.0/people?${new URLSearchParams({ "ws.op": "getByEmail", email: value })}`
      : `${ctx.settings.launchpadApi}/1.0/~${encodeURIComponent(value)}`;
  try {
    const person = parseLaunchpadPerson(await ctx.http.getText(url, { headers: { accept: "application/json" } }), url);
    return { launchpadId: person?.launchpad_id ?? null, displayName: person?.display_name ?? null };
  } catch (error) {
    // No such person (getByEmail answers null; an unknown ~id is a 404, an invalid one a 400).
    if (error instanceof HttpStatusError && (error.status === 404 || error.status === 400)) return { launchpadId: null, displayName: null };
    throw error;
  }
}
