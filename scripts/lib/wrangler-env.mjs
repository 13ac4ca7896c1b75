// What one environment of wrangler.toml deploys, as wrangler reads it (`unstable_readConfig`,
// which applies its own rules of inheritance), and what an environment must repeat from the top
// level because wrangler does not inherit it: bindings and [vars].

/** The Worker and the resources an environment binds, by the names wrangler.toml gives them. */
export function environmentResources(config) {
  const queueNames = [...config.queues.producers.map((p) => p.queue), ...config.queues.consumers.map((c) => c.queue)];
  return {
    worker: config.name,
    databases: config.d1_databases.map((d) => ({ binding: d.binding, name: d.database_name, id: d.database_id })),
    queues: [...new Set(queueNames)],
    buckets: config.r2_buckets.map((b) => ({ binding: b.binding, name: b.bucket_name })),
  };
}

/**
 * What `env` lacks of the top level's bindings and variables, one line each ("d1_databases
 * COLLECTOR_DB", "vars LEGACY_POLICY"). A database must also read the same migrations, and a
 * queue the top level consumes must be consumed in the environment too.
 */
export function missingFromEnvironment(top, env) {
  const missing = [];
  for (const db of top.d1_databases) {
    const there = env.d1_databases.find((d) => d.binding === db.binding);
    if (!there) missing.push(`d1_databases ${db.binding}`);
    else if (there.migrations_dir !== db.migrations_dir) missing.push(`d1_databases ${db.binding}: migrations_dir = "${db.migrations_dir}"`);
  }
  for (const producer of top.queues.producers) {
    const there = env.queues.producers.find((p) => p.binding === producer.binding);
    if (!there) {
      missing.push(`queues.producers ${producer.binding}`);
      continue;
    }
    const consumedAtTop = top.queues.consumers.some((c) => c.queue === producer.queue);
    if (consumedAtTop && !env.queues.consumers.some((c) => c.queue === there.queue)) missing.push(`queues.consumers of ${there.queue} (${producer.binding})`);
  }
  for (const bucket of top.r2_buckets) {
    if (!env.r2_buckets.some((b) => b.binding === bucket.binding)) missing.push(`r2_buckets ${bucket.binding}`);
  }
  for (const object of top.durable_objects.bindings) {
    const there = env.durable_objects.bindings.find((o) => o.name === object.name);
    if (!there || there.class_name !== object.class_name) missing.push(`durable_objects.bindings ${object.name} (class_name = "${object.class_name}")`);
  }
  for (const name of Object.keys(top.vars)) {
    if (!(name in env.vars)) missing.push(`vars ${name}`);
  }
  return missing;
}
