// §4.1's selector bar: release, project type (children indented under their parent), module,
// company, contributor, metric and period. Each change is a new URL (pushed, so the back button
// returns to the previous selection); options come from the API under the current selection.
import type { Fetched } from "../../lib/use-fetch";
import type { CompaniesList, MetricsList, ModulesList, ProjectTypesList, ReleasesList, UsersList } from "../lib/contrib-api";
import { PERIODS, type Selection, type SelectionKey } from "../lib/selection";

export interface Option {
  id: string;
  text: string;
}

export interface Lists {
  releases: ReleasesList;
  projectTypes: ProjectTypesList;
  metrics: MetricsList;
  modules: Fetched<ModulesList>;
  companies: Fetched<CompaniesList>;
  users: Fetched<UsersList>;
}

/** The option a selected value stands for: the same id, else the same name in any case (a drill-down names a company as the rankings do). */
export function optionFor(options: readonly Option[], value: string | undefined): Option | undefined {
  if (!value) return undefined;
  const lower = value.toLowerCase();
  return options.find((o) => o.id === value) ?? options.find((o) => o.id.toLowerCase() === lower || o.text.toLowerCase() === lower);
}

interface SelectProps {
  name: SelectionKey;
  label: string;
  value: string;
  options: readonly Option[];
  /** The first option, for "any" (value ""); none when a value is always selected. */
  any?: string;
  onChange: (key: SelectionKey, value: string) => void;
  note?: string;
}

function Select({ name, label, value, options, any, onChange, note }: SelectProps) {
  const known = optionFor(options, value);
  // A value from the URL that the list does not have (no records under the selection) stays shown.
  const listed = value && !known ? [{ id: value, text: value }, ...options] : options;
  return (
    <label class="selector">
      <span>{label}</span>
      <select name={name} value={known?.id ?? value} onChange={(e) => onChange(name, e.currentTarget.value)} data-testid={`select-${name}`}>
        {any !== undefined && <option value="">{any}</option>}
        {listed.map((o) => (
          <option key={o.id} value={o.id}>
            {o.text}
          </option>
        ))}
      </select>
      {note && <span class="hint">{note}</span>}
    </label>
  );
}

const listOf = <O extends Option>(list: Fetched<{ data: O[] }>): O[] => (list.state === "ok" ? list.data.data : []);
const noteOf = (list: Fetched<unknown>) => (list.state === "loading" ? "loading…" : list.state === "error" ? "(unavailable)" : undefined);

export function SelectorBar({ selection, lists, onChange }: { selection: Selection; lists: Lists; onChange: (key: SelectionKey, value: string) => void }) {
  const { releases, projectTypes, metrics } = lists;
  const projectTypeOptions = projectTypes.data.map((t) => ({ id: t.id, text: t.child ? `\u00a0\u00a0– ${t.text}` : t.text }));
  const moduleOptions = listOf(lists.modules).map((m) => ({ id: m.id, text: m.tag === "module" ? m.text : `${m.text} (${m.tag})` }));
  const userOptions = listOf(lists.users).map((u) => ({ id: u.id, text: u.company_name ? `${u.text} (${u.company_name})` : u.text }));
  return (
    <form class="selector-bar" aria-label="Selection" onSubmit={(e) => e.preventDefault()} data-testid="selector-bar">
      <Select name="release" label="Release" value={selection.release ?? releases.default} options={releases.data} onChange={onChange} />
      {projectTypes.data.length > 0 && (
        <Select name="project_type" label="Project type" value={selection.project_type ?? projectTypes.default ?? ""} options={projectTypeOptions} onChange={onChange} />
      )}
      <Select name="module" label="Module" value={selection.module ?? ""} any="All modules" options={moduleOptions} onChange={onChange} note={noteOf(lists.modules)} />
      <Select name="company" label="Company" value={selection.company ?? ""} any="All companies" options={listOf(lists.companies)} onChange={onChange} note={noteOf(lists.companies)} />
      <Select name="user_id" label="Contributor" value={selection.user_id ?? ""} any="All contributors" options={userOptions} onChange={onChange} note={noteOf(lists.users)} />
      <Select name="metric" label="Metric" value={selection.metric ?? metrics.default} options={metrics.data} onChange={onChange} />
      <Select
        name="period"
        label="Period"
        value={selection.period ?? ""}
        any="All time"
        options={PERIODS.map((days) => ({ id: days, text: `Last ${days} days` }))}
        onChange={onChange}
      />
    </form>
  );
}
