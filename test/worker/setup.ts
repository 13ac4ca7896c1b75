import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.COLLECTOR_DB, env.COLLECTOR_MIGRATIONS);
await applyD1Migrations(env.ANALYTIC_DB, env.ANALYTIC_MIGRATIONS);
await applyD1Migrations(env.CONTRIB_DB, env.CONTRIB_MIGRATIONS);
