import { app } from "./app";
import { dispatchScheduled } from "./cron/dispatcher";

export { AddressQuota } from "./durable/address-quota";
export { Installation } from "./durable/installation";

export default {
  fetch: app.fetch,
  // Awaited rather than passed to ctx.waitUntil, so a failed job fails the invocation.
  async scheduled(controller, env) {
    await dispatchScheduled(env, controller.cron, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env>;
