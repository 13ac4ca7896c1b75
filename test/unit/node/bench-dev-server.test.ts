// The benches against wrangler's local dev server when its runtime is busy longer than a keep-alive
// timeout (a Queue step of more than 5 s under load), the two ways bench:contrib stalled:
// wrangler's proxy held the status GET whose forward failed until another request came, and
// miniflare's Queue stopped delivering when workerd wrote to a loopback connection Node had closed.
import { spawnSync } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { keepIdleConnections } from "../../../scripts/lib/idle-connections.mjs";
import { getAnswered } from "../../../bench/lib/http.mjs";

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

/** As wrangler 4.86's ProxyWorker after a failed forward: the first GET is held until the next request arrives. */
function holdingProxy() {
  let held: http.ServerResponse | null = null;
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests++;
    if (requests === 1) {
      held = res;
      return;
    }
    held?.end("released\n");
    res.end("answered\n");
  });
  return { server, requests: () => requests };
}

describe("getAnswered", () => {
  it("asks again when a proxy holds a GET until the next request, and gets the answer a single fetch never gets", async () => {
    const port = await listen(holdingProxy().server);
    await expect(fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();

    const proxy = holdingProxy();
    const again = await listen(proxy.server);
    const retries: number[] = [];
    const res = await getAnswered(`http://127.0.0.1:${again}/`, { timeoutMs: 300, onRetry: (attempt) => retries.push(attempt) });
    expect(res).toEqual({ status: 200, ok: true, text: "answered\n" });
    expect(retries).toEqual([1]);
    expect(proxy.requests()).toBe(2);
  });

  it("gives up after its attempts when nothing ever answers", async () => {
    const port = await listen(http.createServer(() => {}));
    const retries: number[] = [];
    await expect(getAnswered(`http://127.0.0.1:${port}/`, { timeoutMs: 100, attempts: 3, onRetry: (a) => retries.push(a) })).rejects.toMatchObject({
      name: "TimeoutError",
    });
    expect(retries).toEqual([1, 2]);
  });
});

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

describe("npm start's preload", () => {
  it("makes wrangler dev's HTTP servers keep an idle connection longer than workerd's 5 s", () => {
    const preload = new URL("../../../scripts/dev-preload.mjs", import.meta.url).href;
    const out = spawnSync(process.execPath, ["--import", preload, "-e", "console.log(require('node:http').createServer().keepAliveTimeout)"], {
      encoding: "utf8",
    });
    expect(out.stderr).toBe("");
    expect(Number(out.stdout.trim())).toBe(60_000);
  });
});
