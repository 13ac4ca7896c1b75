// JSON Schema documents generated from the zod wire formats, for senders written in any language.
import { Hono } from "hono";
import { z } from "zod";
import { PUBLISHED_SCHEMAS } from "../../schemas/collector";
import type { AppEnv } from "../http/app-env";
import { apiError } from "../http/errors";

type SchemaName = keyof typeof PUBLISHED_SCHEMAS;
const generated = new Map<SchemaName, unknown>();

function jsonSchema(name: SchemaName): unknown {
  let doc = generated.get(name);
  if (!doc) {
    doc = { $id: `/api/v1/schemas/${name}.json`, ...z.toJSONSchema(PUBLISHED_SCHEMAS[name], { io: "input" }) };
    generated.set(name, doc);
  }
  return doc;
}

export const schemas = new Hono<AppEnv>();

schemas.get("/", (c) =>
  c.json({ schemas: Object.keys(PUBLISHED_SCHEMAS).map((name) => `/api/v1/schemas/${name}.json`) }),
);

schemas.get("/:file", (c) => {
  const name = c.req.param("file").replace(/\.json$/, "");
  if (!Object.hasOwn(PUBLISHED_SCHEMAS, name)) {
    throw apiError(404, `no schema named "${name}"; see /api/v1/schemas/ for the list`);
  }
  c.header("Cache-Control", "public, max-age=3600");
  return c.json(jsonSchema(name as SchemaName));
});
