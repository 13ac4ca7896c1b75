import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./worker/db/contrib-schema.ts",
  out: "./migrations/contrib",
});
