import type { InstallationStructure } from "../../schemas/collector";

/** The `release` column: copied from `fuel_release.release`, null when the structure has none. */
export function releaseOf(structure: InstallationStructure): string | null {
  return structure.fuel_release?.release ?? null;
}
