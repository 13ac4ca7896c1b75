import { useEffect, useState } from "preact/hooks";
import { getJson } from "../../lib/api";
import { type ActivityPage, type ActivityRecord, reportApi } from "./api";

/** Records per page of the activity log, as Stackalytics showed them. */
export const ACTIVITY_PAGE_SIZE = 10;

export type ActivityState = {
  records: ActivityRecord[];
  /** A page is on its way (the first, or the next after "more"). */
  loading: boolean;
  error: Error | null;
  /** The last page was short: there is nothing more. */
  done: boolean;
  more: () => void;
};

type Loaded = Omit<ActivityState, "more">;
const FIRST: Loaded = { records: [], loading: true, error: null, done: false };

/**
 * The activity log under some filters, ten records at a time: `more` asks for the next page and
 * adds it. Other filters start again from the first page; an answer for earlier filters is dropped.
 */
export function useActivity(filters: Readonly<Record<string, string>>): ActivityState {
  const key = JSON.stringify(filters);
  const [cursor, setCursor] = useState({ key, pages: 1 });
  const pages = cursor.key === key ? cursor.pages : 1;
  const [state, setState] = useState<Loaded & { key: string }>({ ...FIRST, key });
  useEffect(() => {
    let current = true;
    const start = (pages - 1) * ACTIVITY_PAGE_SIZE;
    const before = (s: Loaded & { key: string }) => (start === 0 || s.key !== key ? [] : s.records);
    setState((s) => ({ records: before(s), loading: true, error: null, done: false, key }));
    getJson<ActivityPage>(reportApi.activity({ ...filters, start_record: start, page_size: ACTIVITY_PAGE_SIZE })).then(
      ({ activity }) => current && setState((s) => ({ records: [...before(s), ...activity], loading: false, error: null, done: activity.length < ACTIVITY_PAGE_SIZE, key })),
      (error: Error) => current && setState((s) => ({ ...s, loading: false, error })),
    );
    return () => {
      current = false;
    };
  }, [key, pages]);
  const shown = state.key === key ? state : { ...FIRST, key };
  return { records: shown.records, loading: shown.loading, error: shown.error, done: shown.done, more: () => setCursor({ key, pages: pages + 1 }) };
}
