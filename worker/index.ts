import { app } from "./app";
import { type BundleMessage, consumeBundleMessages, stepDeps } from "./bundles/job";
import { bundleSource } from "./bundles/source";
import { dispatchScheduled } from "./cron/dispatcher";

export { AddressQuota } from "./durable/address-quota";
export { Installation } from "./durable/installation";

export default {
  fetch: app.fetch,
  // Awaited rather than passed to ctx.waitUntil, so a failed job fails the invocation.
  async scheduled(controller, env) {
    await dispatchScheduled(env, controller.cron, controller.scheduledTime);
  },
  // One step of an all-reports bundle per message (worker/bundles/job.ts).
  async queue(batch, env, _ctx) {
    await consumeBundleMessages(batch as MessageBatch<BundleMessage>, env, stepDeps(env, bundleSource));
  },
} satisfies ExportedHandler<Env>;
