import { app } from "./app";
import { type BackupMessage, backupDeps, consumeBackupMessages, isBackupMessage } from "./backups/job";
import { type BundleMessage, consumeBundleMessages, stepDeps } from "./bundles/job";
import { bundleSource } from "./bundles/source";
import { dispatchScheduled, SCHEDULE } from "./cron/dispatcher";
import { withStepLines } from "./observability/log";
import { planProcessorRun } from "./processor/plan";
import { type ProcessorMessage, consumeProcessorMessages, stepDeps as processorDeps } from "./processor/step";

export { AddressQuota } from "./durable/address-quota";
export { Installation } from "./durable/installation";

export default {
  fetch: app.fetch,
  // Awaited rather than passed to ctx.waitUntil, so a failed job fails the invocation. Each job's
  // run writes a step line (worker/observability/log.ts).
  async scheduled(controller, env) {
    await dispatchScheduled(env, controller.cron, controller.scheduledTime, withStepLines(SCHEDULE));
  },
  // One step of an all-reports bundle (worker/bundles/job.ts), of a backup (worker/backups/job.ts,
  // on the bundles' queue: wrangler.toml declares no queue of its own for it), or of a contribution
  // source (worker/processor/step.ts), per message.
  async queue(batch, env, _ctx) {
    if (batch.queue.startsWith("edgestats-processor")) {
      await consumeProcessorMessages(batch as MessageBatch<ProcessorMessage>, env, processorDeps(env, () => planProcessorRun(env, Date.now())));
    } else {
      const backups = batch.messages.filter((m) => isBackupMessage(m.body));
      const bundles = batch.messages.filter((m) => !isBackupMessage(m.body)) as Message<BundleMessage>[];
      if (backups.length > 0) await consumeBackupMessages(backups as Message<BackupMessage>[], backupDeps(env));
      if (bundles.length > 0) await consumeBundleMessages({ messages: bundles }, env, stepDeps(env, bundleSource));
    }
  },
} satisfies ExportedHandler<Env>;
