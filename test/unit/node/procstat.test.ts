// bench/lib/procstat.mjs: a server's processes found by the port it listens on, as
// `npm run bench:ingest` finds a peer collector's (gunicorn, PostgreSQL) from its URL.
import net from "node:net";
import { describe, expect, it } from "vitest";
import { listeningPids } from "../../../bench/lib/procstat.mjs";

describe("listeningPids", () => {
  it("finds the process that listens on a port of 127.0.0.1, and none for a port nobody listens on", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      expect(listeningPids(port)).toContain(process.pid);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(listeningPids(port)).not.toContain(process.pid);
  });
});
