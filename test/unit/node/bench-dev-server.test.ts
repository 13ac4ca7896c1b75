// The benches against wrangler's local dev server when its runtime is busy longer than a keep-alive
// timeout (a Queue step of more than 5 s under load): miniflare's Queue stopped delivering when
// workerd wrote to a loopback connection Node had closed.
import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { keepIdleConnections } from "../../../bench/lib/bench-worker.mjs";

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: http.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

/**
 * Writes a request on a connection, as workerd does with a pooled one, without looking whether the
 * server closed it meanwhile; gives what came back within 2 s (nothing on a closed connection).
 */
function requestOn(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const done = () => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", done);
      resolve(text);
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.endsWith("\r\n\r\nok")) done();
    };
    const timer = setTimeout(done, 2000);
    socket.on("data", onData);
    socket.on("close", done);
    if (socket.destroyed) return done();
    socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", () => {});
  });
}

describe("keepIdleConnections", () => {
  it("keeps a connection idle for 6 s open, so that a client that did not see Node's 5 s close can still use it", async () => {
    const plain = http.createServer((_req, res) => res.end("ok"));
    const restore = keepIdleConnections(60_000);
    let kept: http.Server;
    try {
      kept = http.createServer((_req, res) => res.end("ok"));
    } finally {
      restore();
    }
    expect(http.createServer((_req, res) => res.end("ok")).keepAliveTimeout).toBe(plain.keepAliveTimeout);
    const [plainPort, keptPort] = [await listen(plain), await listen(kept)];

    const sockets = [net.connect(plainPort, "127.0.0.1"), net.connect(keptPort, "127.0.0.1")];
    try {
      for (const socket of sockets) {
        socket.on("error", () => {});
        expect(await requestOn(socket)).toMatch(/^HTTP\/1\.1 200/);
      }
      await new Promise((resolve) => setTimeout(resolve, 6000));
      const [again, keptAgain] = await Promise.all(sockets.map(requestOn));
      expect(again).toBe("");
      expect(keptAgain).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  }, 15_000);
});
