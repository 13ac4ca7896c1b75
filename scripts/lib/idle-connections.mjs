// Node's HTTP servers close an idle keep-alive connection after 5 s. miniflare's loopback server
// (in wrangler's own process) is one: workerd reports each Queue batch to it on a kept-alive
// connection, and after an invocation that kept workerd's one thread busy more than about 5 s (a
// long Queue step on a loaded host) workerd writes that report on a connection Node has just
// closed ("Network connection lost"); miniflare's Queue broker then never delivers again
// (bench/RESULTS.md, bench:contrib, "The stalls' cause"). Kept open longer than workerd's own 5 s,
// an idle connection is closed by workerd, not by Node under a request.
import http from "node:http";

/** How long the loopback servers keep an idle connection: longer than workerd's 5 s. */
export const LOOPBACK_IDLE_CONNECTION_MS = 60_000;

/** HTTP servers made in this process from now on keep an idle connection `ms`; returns the undo. */
export function keepIdleConnections(ms) {
  const create = http.createServer;
  http.createServer = (...args) => {
    const server = create(...args);
    server.keepAliveTimeout = ms;
    return server;
  };
  return () => {
    http.createServer = create;
  };
}
