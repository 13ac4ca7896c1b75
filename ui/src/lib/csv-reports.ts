import type { CsvReportId } from "./api";

/**
 * The CSV reports in the order of schemas/csv.ts CSV_REPORT_IDS (a test checks they match), named
 * as fuel-stats' Reports page named them. Kept here as plain values so zod stays out of the bundle.
 */
export const CSV_REPORTS: readonly { id: CsvReportId; name: string }[] = [
  { id: "clusters", name: "Installations info" },
  { id: "nodes", name: "Nodes" },
  { id: "plugins", name: "Plugins" },
  { id: "vm", name: "Vms" },
  { id: "flavor", name: "Flavors" },
  { id: "volume", name: "Volumes" },
  { id: "image", name: "Images" },
  { id: "tenant", name: "Tenants" },
  { id: "keystone_user", name: "Keystone users" },
];
