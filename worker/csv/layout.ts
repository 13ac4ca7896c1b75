// Which skeleton feeds which columns of each report, in order: the whole column set of every CSV
// report is this table plus skeleton.ts. Pure.
import type { CsvReportId, OswlCsvType } from "../../schemas/csv";
import { type CompiledPaths, columnName, compilePaths, type KeyPath, keyPaths, parsePath, writeCells } from "./flatten";
import {
  CLUSTER_SKELETON,
  INSTALLATION_SKELETON,
  NODE_SKELETON,
  OSWL_COMMON_SKELETON,
  OSWL_RESOURCE_SKELETONS,
  PLUGIN_SKELETON,
  type Skeleton,
} from "./skeleton";

/**
 * What a part of a row is read from: the listed item (node or plugin), its cluster, the
 * installation row, values computed for the row (`extra`), or an OSWL entry and its resource.
 */
export type Source = "item" | "cluster" | "installation" | "extra" | "oswl" | "resource";

/** A run of columns: a skeleton's paths (sorted), or named columns in the given order. */
export type Part = { source: Source; skeleton: Skeleton } | { source: Source; columns: readonly string[] };

const oswlLayout = (type: OswlCsvType): Part[] => [
  { source: "oswl", skeleton: OSWL_COMMON_SKELETON },
  { source: "resource", skeleton: { [type]: OSWL_RESOURCE_SKELETONS[type] } },
  { source: "extra", columns: [`${type}.is_added`, `${type}.is_modified`, `${type}.is_removed`] },
];

/** Columns shared by the nodes and plugins reports after the item's own. */
const SUBCLUSTER_TAIL: Part[] = [
  { source: "cluster", columns: ["cluster_id", "cluster_fuel_version"] },
  // fuel_packages without a skeleton: one column, the packages joined by spaces.
  { source: "installation", columns: ["master_node_uid", "structure.fuel_packages"] },
];

export const LAYOUTS: Record<CsvReportId, readonly Part[]> = {
  clusters: [
    { source: "cluster", skeleton: CLUSTER_SKELETON },
    { source: "installation", skeleton: INSTALLATION_SKELETON },
    { source: "extra", columns: ["verify_networks_status"] },
  ],
  nodes: [{ source: "item", skeleton: NODE_SKELETON }, ...SUBCLUSTER_TAIL],
  plugins: [{ source: "item", skeleton: PLUGIN_SKELETON }, ...SUBCLUSTER_TAIL],
  vm: oswlLayout("vm"),
  flavor: oswlLayout("flavor"),
  volume: oswlLayout("volume"),
  image: oswlLayout("image"),
  tenant: oswlLayout("tenant"),
  keystone_user: oswlLayout("keystone_user"),
};

/**
 * The operator's contact details: written only for a caller holding the admin secret (the raw
 * JSON exports require it for the same reason); otherwise the columns stay, empty.
 */
export const CONTACT_COLUMNS: readonly string[] = [
  "structure.user_information.company",
  "structure.user_information.email",
  "structure.user_information.name",
];

interface CompiledPart {
  source: Source;
  paths: KeyPath[];
  compiled: CompiledPaths;
  /** Its first column in the row. */
  offset: number;
}

export interface CompiledLayout {
  columns: string[];
  parts: CompiledPart[];
  /** Indexes of CONTACT_COLUMNS in this report. */
  contactIndexes: number[];
}

function compile(parts: readonly Part[]): CompiledLayout {
  let offset = 0;
  const compiled = parts.map((part) => {
    const paths = "skeleton" in part ? keyPaths(part.skeleton) : part.columns.map(parsePath);
    const compiledPart = { source: part.source, paths, compiled: compilePaths(paths), offset };
    offset += paths.length;
    return compiledPart;
  });
  const columns = compiled.flatMap((p) => p.paths.map(columnName));
  const contactIndexes = columns.flatMap((c, i) => (CONTACT_COLUMNS.includes(c) ? [i] : []));
  return { columns, parts: compiled, contactIndexes };
}

const compiledLayouts = new Map<CsvReportId, CompiledLayout>();

export function layoutOf(id: CsvReportId): CompiledLayout {
  let layout = compiledLayouts.get(id);
  if (!layout) {
    layout = compile(LAYOUTS[id]);
    compiledLayouts.set(id, layout);
  }
  return layout;
}

/** The header of a report. */
export const csvColumns = (id: CsvReportId): readonly string[] => layoutOf(id).columns;

/** One row: each part's paths read from its source. */
export function layoutRow(layout: CompiledLayout, sources: Partial<Record<Source, unknown>>, contacts: boolean): string[] {
  const cells = new Array<string>(layout.columns.length).fill("");
  for (const part of layout.parts) writeCells(sources[part.source], part.compiled, cells, part.offset);
  if (!contacts) for (const i of layout.contactIndexes) cells[i] = "";
  return cells;
}
