// The edgestats-agent command. stdout carries what a command reports (JSON where it is data);
// logs go to stderr.
import { parseArgs } from "node:util";
import { InstallationTokenSchema } from "../../schemas/collector";
import { applyReceipt, exportBundle, previewCycle, readBundle, readReceipt, uploadBundle, writeReceipt } from "./airgap";
import { CollectorClient } from "./client";
import { type AgentConfig, DEFAULT_CONFIG_FILE, loadConfig } from "./config";
import { decideConsent } from "./consent";
import { runCycle } from "./cycle";
import { forgetInstallation } from "./forget";
import { writerLogger } from "./log";
import { Outbox } from "./outbox";
import { AgentLoop } from "./scheduler";

const USAGE = `usage: edgestats-agent [--config FILE] <command>

  preview             print exactly what the next cycle would send; sends nothing
  status              consent, identity and what is pending in the outbox
  once                run one cycle now and print its report
  run                 run cycles until stopped (about hourly, ±10%; backs off while the collector is down)
  export FILE         write the pending reports as one bundle (for sites without a network)
  upload FILE [--collector URL]
                      send a bundle from another machine; writes FILE.receipt.json
  receipt FILE        mark this outbox by an upload's receipt
  token set TOKEN     store an installation token an operator handed out
  token clear         forget the stored token (the next write asks for a new one)
  forget              ask the collector to delete everything it holds of this installation
                      (with the installation's token); prints the collector's receipt

The config file is --config, else $EDGESTATS_AGENT_CONFIG, else ./${DEFAULT_CONFIG_FILE}.
Nothing is sent unless the config says "sendStatistics": true; DO_NOT_TRACK=1 or
EDGESTATS_NO_TELEMETRY=1 in the environment always wins. See docs/agent.md.
`;

type Out = (text: string) => void;

export interface CliIo {
  stdout: Out;
  stderr: Out;
  env: Readonly<Record<string, string | undefined>>;
  fetch?: typeof fetch;
}

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
};

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { config: { type: "string", short: "c" }, collector: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || !command) {
    io.stdout(USAGE);
    return command || parsed.values.help ? 0 : 2;
  }
  const configFile = parsed.values.config ?? io.env.EDGESTATS_AGENT_CONFIG ?? DEFAULT_CONFIG_FILE;
  const needConfig = (): AgentConfig => loadConfig(configFile);
  const client = (collector: string, timeoutMs: number) => new CollectorClient(collector, { timeoutMs, ...(io.fetch ? { fetch: io.fetch } : {}) });
  const log = writerLogger(io.stderr);

  try {
    if (command === "upload") {
      const file = rest[0];
      if (!file) throw new UsageError("upload needs the bundle file");
      const config = parsed.values.collector ? null : needConfig();
      const receipt = await uploadBundle(readBundle(file), client(parsed.values.collector ?? config!.collector, config?.timeoutMs ?? 5000), io.env);
      const receiptFile = `${file}.receipt.json`;
      writeReceipt(receiptFile, receipt);
      io.stdout(json({ receipt: receiptFile, complete: receipt.complete, error: receipt.error, results: receipt.results.length }));
      if (!receipt.complete) io.stderr(`upload stopped early: ${receipt.error}\nApply ${receiptFile} anyway; the rest stays pending.\n`);
      return receipt.complete ? 0 : 1;
    }

    const config = needConfig();
    const outbox = Outbox.open(config.outbox);
    try {
      switch (command) {
        case "preview":
          io.stdout(json(previewCycle(outbox, config, io.env)));
          return 0;
        case "status": {
          const consent = decideConsent(config, io.env);
          const token = outbox.token();
          io.stdout(
            json({
              collector: config.collector,
              master_node_uid: outbox.masterNodeUid(config.masterNodeUid),
              sending: consent.send,
              ...(consent.send ? {} : { reason: consent.reason }),
              installation_token: token === null ? "none" : token.bound ? "bound" : "issued, not yet bound",
              outbox: outbox.counts(),
            }),
          );
          return 0;
        }
        case "once": {
          const report = await runCycle({ outbox, config, client: client(config.collector, config.timeoutMs), env: io.env, log });
          io.stdout(json(report));
          if (report.outcome === "identity") io.stderr(`${report.message}\n`);
          return report.outcome === "sent" || report.outcome === "not-allowed" ? 0 : report.outcome === "identity" ? 3 : 1;
        }
        case "run": {
          const loop = new AgentLoop({ outbox, config, client: client(config.collector, config.timeoutMs), env: io.env, log }, { keepAlive: true });
          loop.start();
          await new Promise<void>((resolve) => {
            const stop = () => resolve();
            process.once("SIGINT", stop);
            process.once("SIGTERM", stop);
          });
          await loop.stop();
          return 0;
        }
        case "export": {
          const file = rest[0];
          if (!file) throw new UsageError("export needs the file to write");
          const bundle = exportBundle(outbox, config, io.env, file);
          io.stdout(json({ bundle: file, requests: bundle.requests.length, master_node_uid: bundle.master_node_uid }));
          return 0;
        }
        case "receipt": {
          const file = rest[0];
          if (!file) throw new UsageError("receipt needs the receipt file");
          const receipt = readReceipt(file);
          io.stdout(json({ marked_sent: applyReceipt(outbox, config, receipt), complete: receipt.complete }));
          return 0;
        }
        case "forget": {
          const result = await forgetInstallation(outbox, client(config.collector, config.timeoutMs), config.masterNodeUid);
          if (result.outcome === "refused") {
            io.stdout(json(result));
            io.stderr(`the collector did not delete master_node_uid ${result.master_node_uid}: ${result.message}\n`);
            return 3;
          }
          io.stdout(json(result.receipt));
          if (decideConsent(config, io.env).send) {
            io.stderr(
              `deleted. "sendStatistics" is still true in ${configFile}: the next cycle reports this installation again, ` +
                "as a new one, with what is still pending in the outbox; set it to false to stop.\n",
            );
          }
          return 0;
        }
        case "token": {
          const [action, value] = rest;
          if (action === "clear") {
            outbox.setToken(null);
            io.stdout("token cleared: the next write asks the collector for a new one\n");
            return 0;
          }
          if (action === "set" && value && InstallationTokenSchema.safeParse(value).success) {
            // A token an operator handed out (a rotation) is already bound on the collector.
            outbox.setToken({ value, bound: true });
            io.stdout("token stored\n");
            return 0;
          }
          throw new UsageError("token set TOKEN (72 base64url characters) | token clear");
        }
        default:
          throw new UsageError(`unknown command ${command}`);
      }
    } finally {
      outbox.close();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`edgestats-agent: ${(error as Error).message}\n`);
    return 1;
  }
}

class UsageError extends Error {}
