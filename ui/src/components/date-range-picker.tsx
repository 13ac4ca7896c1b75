import type { DateRange } from "../lib/api";
import { pickerBounds, rangeError } from "../lib/date-range";

interface Props {
  range: DateRange;
  today: string;
  maxDays: number;
  onChange: (range: DateRange) => void;
}

/** From and to pickers that bound each other (from ≤ to ≤ today), with the rule that fails, if any. */
export function DateRangePicker({ range, today, maxDays, onChange }: Props) {
  const bounds = pickerBounds(range, today);
  const error = rangeError(range, today, maxDays);
  return (
    <fieldset class="date-range">
      <legend class="visually-hidden">Date range</legend>
      <label>
        From{" "}
        <input type="date" name="from_date" value={range.from} max={bounds.from.max} required
          onChange={(e) => onChange({ ...range, from: e.currentTarget.value })} />
      </label>
      <label>
        To{" "}
        <input type="date" name="to_date" value={range.to} min={bounds.to.min} max={bounds.to.max} required
          onChange={(e) => onChange({ ...range, to: e.currentTarget.value })} />
      </label>
      {error && (
        <p class="field-error" role="alert" data-testid="range-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
