// Requests and storage helpers for the contribution tests inside workerd.
import { applyD1Migrations, reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { DefaultData } from "../../../schemas/contrib/default-data";
import type { RawRecord } from "../../../schemas/contrib/records";
import { ADMIN_TOKEN, call } from "../helpers";

/** Wipes every database and object, then applies all migrations again. */
export async function resetAll(): Promise<void> {
  await reset();
  await applyD1Migrations(env.COLLECTOR_DB, env.COLLECTOR_MIGRATIONS);
  await applyD1Migrations(env.ANALYTIC_DB, env.ANALYTIC_MIGRATIONS);
  await applyD1Migrations(env.CONTRIB_DB, env.CONTRIB_MIGRATIONS);
}

export function admin(method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN): Promise<Response> {
  return call(`/api/1.0/admin${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

export async function loadConfig(config: DefaultData) {
  const res = await admin("PUT", "/default-data", config);
  if (res.status !== 200) throw new Error(`loading the config failed: ${res.status} ${await res.text()}`);
  return res.json<{ changed: boolean; digest: string; profiles_updated: number; profiles_merged: number; records_reattributed: number }>();
}

export async function postRecords(records: RawRecord[]) {
  const res = await admin("POST", "/records", { records });
  if (res.status !== 200) throw new Error(`posting records failed: ${res.status} ${await res.text()}`);
  return res.json<{ added: number; updated: number; unchanged: number; profiles_created: number; profiles_merged: number; records_reattributed: number }>();
}

/** primary_key → [user_id, company_name, release] of every stored record. */
export async function attributions(): Promise<Record<string, [string, string, string]>> {
  const { results } = await env.CONTRIB_DB.prepare("SELECT primary_key, user_id, company_name, release FROM records ORDER BY primary_key").all<{
    primary_key: string;
    user_id: string;
    company_name: string;
    release: string;
  }>();
  return Object.fromEntries(results.map((r) => [r.primary_key, [r.user_id, r.company_name, r.release]]));
}

export const countRows = async (table: "profiles" | "profile_keys" | "records" | "config_versions") =>
  (await env.CONTRIB_DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())!.n;
