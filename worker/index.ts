import { app } from "./app";
import { type BundleMessage, consumeBundleMessages, stepDeps } from "./bundles/job";
import { bundleSource } from "./bundles/source";
import { dispatchScheduled } from "./cron/dispatcher";
import { planProcessorRun } from "./processor/plan";
import { type ProcessorMessage, consumeProcessorMessages, stepDeps as processorDeps } from "./processor/step";

export { AddressQuota } from "./durable/address-quota";
export { Installation } from "./durable/installation";

export default {
  fetch: app.fetch,
  // Awaited rather than passed to ctx.waitUntil, so a failed job fails the invocation.
  async scheduled(controller, env) {
    await dispatchScheduled(env, controller.cron, controller.scheduledTime);
  },
  // One step of an all-reports bundle (worker/bundles/job.ts), or of a contribution source
  // (worker/processor/step.ts), per message.
  async queue(batch, env, _ctx) {
    if (batch.queue.startsWith("edgestats-processor")) {
      await consumeProcessorMessages(batch as MessageBatch<ProcessorMessage>, env, processorDeps(env, () => planProcessorRun(env, Date.now())));
    } else {
      await consumeBundleMessages(batch as MessageBatch<BundleMessage>, env, stepDeps(env, bundleSource));
    }
  },
} satisfies ExportedHandler<Env>;
