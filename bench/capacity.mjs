// `npm run bench:capacity [-- <installations>] [--action-logs-per-day N] [--structures-per-day N]
//  [--oswl-rows-per-day N] [--retention-days N] [--contrib-records N] [--contrib-sources N]
//  [--peak-factor N] [--d1-write-ms N] [--csv-range-days N] [--bundles-kept N] [--scales 1,10,100]
//  [--json]`
// (each also as CAPACITY_<NAME> in the environment): projects what one deployment carries at 1×,
// 10× and 100× of a fleet, per resource, against Cloudflare's limits, and which limit is met
// first. No network, no worker: arithmetic over the costs measured on this machine
// (bench/lib/capacity-costs.mjs). docs/capacity.md explains the model and its bounds.
import { CapacityInputError, formatReport, parseInputs, simulate } from "./lib/capacity-model.mjs";

try {
  const { inputs, json } = parseInputs(process.argv.slice(2), process.env);
  const simulation = simulate(inputs);
  console.log(json ? JSON.stringify(simulation, null, 2) : formatReport(simulation));
} catch (error) {
  if (!(error instanceof CapacityInputError)) throw error;
  console.error(`bench:capacity: ${error.message}`);
  process.exit(2);
}
