// Flattening nested JSON along a skeleton, and writing the cells as RFC 4180 CSV. Pure.
import { Aggregate, ListOf, type Skeleton } from "./skeleton";

/** One step of a column's path: an object key, a list index, or a final aggregate. */
export type Segment = string | number | Aggregate;
export type KeyPath = readonly Segment[];

/** The column paths of a skeleton, depth first, object keys sorted (as fuel-stats did). */
export function keyPaths(skeleton: Skeleton, prefix: KeyPath = []): KeyPath[] {
  if (skeleton === null) return [prefix];
  if (skeleton instanceof Aggregate) return [[...prefix, skeleton]];
  if (skeleton instanceof ListOf) {
    return Array.from({ length: skeleton.repeat }, (_, i) => keyPaths(skeleton.item, [...prefix, i])).flat();
  }
  return Object.keys(skeleton)
    .sort(compareCodePoints)
    .flatMap((key) => keyPaths(skeleton[key]!, [...prefix, key]));
}

/** Python's string order (by code point), which the column order follows. */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** `meta.cpu.spec.0.model`, `nic_interfaces.count`. */
export const columnName = (path: KeyPath) => path.map((s) => (s instanceof Aggregate ? s.name : String(s))).join(".");

/** A dotted column name back to a path (for layouts that list columns by name). */
export const parsePath = (dotted: string): KeyPath => dotted.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s));

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The value at a path. A missing key, an index past the end, or a step into a value of the wrong
 * kind gives null (an empty cell), never an error.
 */
export function valueAt(data: unknown, path: KeyPath): unknown {
  let value = data;
  for (const segment of path) {
    if (segment instanceof Aggregate) return segment.apply(value);
    if (Array.isArray(value)) value = typeof segment === "number" ? value[segment] : undefined;
    else if (isRecord(value)) value = typeof segment === "string" && Object.hasOwn(value, segment) ? value[segment] : undefined;
    else value = undefined;
    if (value === undefined || value === null) return null;
  }
  return value;
}

/** A scalar as Python's str() wrote it; objects and nested lists as JSON. */
function itemText(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

/**
 * The text of one cell: empty for a missing value, True/False for booleans (as Python's csv
 * module wrote them), a list without a skeleton as its items joined by spaces, an object as JSON.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(itemText).join(" ");
  return itemText(value);
}

/**
 * Paths as a trie: a row walks each shared prefix once (a node row has 522 columns, most of them
 * under a few lists), and a missing value skips its whole subtree, whose cells stay empty.
 */
interface PathNode {
  /** Columns whose path ends here: the value here as a cell. */
  leaves: number[];
  /** Columns that aggregate the value here. */
  aggregates: { column: number; aggregate: Aggregate }[];
  children: Map<string | number, PathNode>;
}

export interface CompiledPaths {
  readonly root: PathNode;
  readonly count: number;
}

const pathNode = (): PathNode => ({ leaves: [], aggregates: [], children: new Map() });

export function compilePaths(paths: readonly KeyPath[]): CompiledPaths {
  const root = pathNode();
  paths.forEach((path, column) => {
    let node = root;
    for (const segment of path) {
      if (segment instanceof Aggregate) {
        node.aggregates.push({ column, aggregate: segment });
        return;
      }
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = pathNode()));
      node = child;
    }
    node.leaves.push(column);
  });
  return { root, count: paths.length };
}

/**
 * Writes the cells of compiled paths for `data` into `cells` from `offset`, exactly as
 * `cellText(valueAt(data, path))` for each path would; cells under a missing value are left as
 * they are (callers start from empty cells).
 */
export function writeCells(data: unknown, paths: CompiledPaths, cells: string[], offset: number): void {
  writeNode(data, paths.root, cells, offset);
}

function writeNode(value: unknown, node: PathNode, cells: string[], offset: number): void {
  for (const column of node.leaves) cells[offset + column] = cellText(value);
  for (const { column, aggregate } of node.aggregates) cells[offset + column] = cellText(aggregate.apply(value));
  if (node.children.size === 0) return;
  const list = Array.isArray(value);
  if (!list && !isRecord(value)) return;
  for (const [segment, child] of node.children) {
    let next: unknown;
    if (list) next = typeof segment === "number" ? value[segment] : undefined;
    else next = typeof segment === "string" && Object.hasOwn(value, segment) ? value[segment] : undefined;
    if (next !== undefined && next !== null) writeNode(next, child, cells, offset);
  }
}

/** The cells of a row, one per path. */
export function flatten(data: unknown, paths: readonly KeyPath[]): string[] {
  const cells = new Array<string>(paths.length).fill("");
  writeCells(data, compilePaths(paths), cells, 0);
  return cells;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 record: fields with a comma, quote or line break quoted, quotes doubled, CRLF. */
export function csvLine(cells: readonly string[]): string {
  let line = "";
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (i > 0) line += ",";
    if (cell.length > 0) line += NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  }
  return `${line}\r\n`;
}
