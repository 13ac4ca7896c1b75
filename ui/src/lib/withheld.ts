// Numbers a public report withheld (null in its JSON; docs/privacy.md), as the dashboard shows
// them: "<5" for one from fewer than k installations, "withheld" for one held back with it.
import type { SuppressionNote } from "../../../schemas/reports";
import { reportPointer } from "../../../schemas/report-pointer";

/** The text in place of the withheld number at `path` of an answer with this note. */
export function withheldText(note: SuppressionNote | undefined, ...path: (string | number)[]): string {
  return note?.below_k.includes(reportPointer(...path)) ? `<${note.k}` : "withheld";
}

/** A number of a report as text: itself, or what stands in for it when withheld. */
export function countText(value: number | null, note: SuppressionNote | undefined, ...path: (string | number)[]): string {
  return value === null ? withheldText(note, ...path) : String(value);
}

/** The sentence under a page whose numbers were withheld; null when none were. */
export function withheldLegend(note: SuppressionNote | undefined): string | null {
  if (!note || note.below_k.length + note.complementary.length === 0) return null;
  return (
    `<${note.k}: from fewer than ${note.k} installations, withheld so that no installation can be singled out` +
    (note.complementary.length > 0 ? `; withheld: held back so that such a number cannot be worked out from the others` : "") +
    "."
  );
}
