// Loaded with `node --import` before wrangler dev (scripts/start.mjs), so that miniflare's loopback
// server keeps idle connections longer than workerd does: see ./lib/idle-connections.mjs.
import { keepIdleConnections, LOOPBACK_IDLE_CONNECTION_MS } from "./lib/idle-connections.mjs";

keepIdleConnections(LOOPBACK_IDLE_CONNECTION_MS);
