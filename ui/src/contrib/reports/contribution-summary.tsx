// The contribution summary (§4.2's user and company reports): every kind of record under the
// filters, as `/api/1.0/contribution` counts them.
import type { Contribution } from "./api";
import { TableCard } from "./components";

export function contributionRows(c: Contribution): [string, number][] {
  const m = c.marks;
  return [
    ["Commits", c.commit_count],
    ["Lines of code", c.loc],
    ["Reviews (−2, −1, +1, +2 and others' abandons)", m["-2"] + m["-1"] + m["1"] + m["2"] + m.x],
    ["Review −2", m["-2"]],
    ["Review −1", m["-1"]],
    ["Review +1", m["1"]],
    ["Review +2", m["2"]],
    ["Approved (Workflow +1)", m.A],
    ["Work in progress (Workflow −1)", m.WIP],
    ["Abandoned others' changes", m.x],
    ["Self and other votes", m["0"] + m.s],
    ["Change requests", c.change_request_count],
    ["Abandoned change requests", c.abandoned_change_requests_count],
    ["Patch sets", c.patch_set_count],
    ["Emails", c.email_count],
    ["Drafted blueprints", c.drafted_blueprint_count],
    ["Completed blueprints", c.completed_blueprint_count],
    ["Filed bugs", c.filed_bug_count],
    ["Resolved bugs", c.resolved_bug_count],
    ["Translated words", c.translations],
  ];
}

export function ContributionSummary({ contribution, jsonUrl, who }: { contribution: Contribution; jsonUrl: string; who: string }) {
  const rows = contributionRows(contribution);
  const any = rows.some(([, n]) => n > 0);
  return (
    <TableCard
      id="contribution"
      title="Contribution summary"
      table={{ columns: ["measure", "count"], rows: any ? rows : [] }}
      jsonUrl={jsonUrl}
      empty={`No records of ${who} under these filters.`}
    />
  );
}
