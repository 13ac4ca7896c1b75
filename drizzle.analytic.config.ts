import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./worker/db/analytic-schema.ts",
  out: "./migrations/analytic",
});
