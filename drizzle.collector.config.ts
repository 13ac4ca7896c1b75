import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./worker/db/collector-schema.ts",
  out: "./migrations/collector",
});
